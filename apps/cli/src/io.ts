/** Output sinks, injectable so that commands can be tested without spawning a process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** is stdout a terminal (progress is shown only then) */
  isTTY: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY) && !process.env.CI,
};
