/**
 * Readable step lists of one trial: replays a schedule on the reference engine with its trace
 * hook and names every pc by label+offset and every address by its memory symbol.
 */
import { printInstruction } from '@naplab/asm';
import { replayTrial, type TraceEvent } from '@naplab/engine-ref';
import { type Image, lostReasonText, type MemoryModel, type TrialResult } from '@naplab/isa';

export interface Namer {
  where(pc: number): string;
  addr(a: number): string;
  cpu(c: number): string;
}

export function namer(image: Image): Namer {
  const labels = Object.entries(image.labels)
    .filter(([name]) => !/^\d/.test(name))
    .sort((a, b) => a[1] - b[1] || a[0].length - b[0].length);
  const starts = labels.map(([, pc]) => pc);
  const symbols = [...image.memory.symbols].sort((a, b) => a.size - b.size);
  return {
    where(pc) {
      let lo = 0;
      let hi = starts.length - 1;
      let best = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid]! <= pc) {
          best = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (best < 0) return `${pc}`;
      // several labels at one pc: the first in sort order (shortest name) among those
      let first = best;
      while (first > 0 && starts[first - 1] === starts[best]) first--;
      const [name, at] = labels[first]!;
      return pc === at ? name : `${name}+${pc - at}`;
    },
    addr(a) {
      const s = symbols.find((x) => a >= x.addr && a < x.addr + x.size);
      if (!s) return `[${a}]`;
      return s.size === 1 ? s.name : `${s.name}+${a - s.addr}`;
    },
    cpu(c) {
      const t = image.threads[c];
      return t && t.name !== `P${c}` && t.name !== `cpu${c}` ? `cpu${c}(${t.name})` : `cpu${c}`;
    },
  };
}

/**
 * What an action did, in words. Under `power` a store enters the storage subsystem (committed) and
 * a "drain" event is the write propagating to one cpu (the event's cpu), not a store buffer.
 */
export function describeEffect(image: Image, n: Namer, e: TraceEvent, memory?: MemoryModel): string {
  const f = e.effect;
  const power = memory === 'power';
  switch (f.kind) {
    case 'exec':
      return '';
    case 'load':
      return `${n.addr(f.addr)} -> ${f.value}${f.reserve ? ' (reserve)' : ''}`;
    case 'store':
      if (power) return `${n.addr(f.addr)} = ${f.value} (committed: propagates to each cpu separately)`;
      return `${n.addr(f.addr)} = ${f.value}${f.buffered ? ' (into store buffer)' : ''}`;
    case 'stwcx':
      return `${n.addr(f.addr)} = ${f.value} ${f.success ? 'stored' : 'FAILED (reservation lost)'}`;
    case 'drain':
      if (power) return `propagates to ${n.cpu(e.cpu)}: ${n.addr(f.addr)} = ${f.value}`;
      return `store buffer drains: ${n.addr(f.addr)} = ${f.value}`;
    case 'sync':
      return 'sync';
    case 'nap':
      return 'nap';
    case 'wake':
      return `WAKE from nap (${f.reason}) -> system reset vector`;
    case 'interrupt':
      return `takes ${f.reason} interrupt -> ${n.where(f.vector)}`;
    case 'doorbell':
      return `msgsnd: doorbell -> ${n.cpu(f.target)}`;
    case 'ipi':
      return `IPI (external interrupt) -> ${n.cpu(f.target)}`;
    case 'msgclr':
      return 'msgclr: pending doorbell cleared';
    case 'eoi':
      return 'eoi: pending external interrupt flushed';
    case 'pending':
      return `${f.source === 'decrementer' ? 'decrementer fires' : `stray ${f.reason}`} on ${n.cpu(e.cpu)}`;
    case 'lost':
      return `LOST: ${lostReasonText(image, f.reason)}`;
    case 'halt':
      return 'halt';
    case 'assert':
      return f.passed ? '' : `ASSERT FAILED: ${f.message}`;
    case 'await-passed':
      return `${n.addr(f.addr)} == ${f.value}: wait over`;
    case 'await-blocked':
      return `waits on ${n.addr(f.addr)} (now ${f.value})`;
    case 'mark':
      return `» ${f.text}`;
    case 'count':
      return '';
    case 'choose':
      return `chose ${f.value}`;
  }
}

export interface TracedTrial {
  result: TrialResult;
  events: TraceEvent[];
}

/** Replay a schedule on the reference engine and collect its trace. */
export function traceSchedule(image: Image, memory: MemoryModel, schedule: number[]): TracedTrial {
  const events: TraceEvent[] = [];
  const result = replayTrial(image, memory, schedule, (e) => events.push(e));
  return { result, events };
}

/** One line per action: step, cpu, where, instruction, effect. `all` includes silent steps. */
export function formatStepList(
  image: Image,
  events: TraceEvent[],
  opts: { all?: boolean; memory?: MemoryModel } = {},
): string {
  const n = namer(image);
  const rows: string[][] = [];
  for (const e of events) {
    const eff = describeEffect(image, n, e, opts.memory);
    if (!opts.all && eff === '' && e.effect.kind !== 'exec') continue;
    let instr = e.instr ? printInstruction(image, e.pc) : '';
    // the effect column already shows mark/lost/assert texts: keep the instruction column narrow
    if (instr.length > 36) instr = `${instr.slice(0, 33)}...`;
    const interesting = eff !== '' || opts.all;
    if (!interesting) continue;
    rows.push([e.action < 0 ? '' : String(e.step), n.cpu(e.cpu), e.instr ? n.where(e.pc) : '', instr, eff]);
  }
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), 0));
  return rows
    .map((r) =>
      `${r[0]!.padStart(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]!.padEnd(w[2]!)}  ${r[3]!.padEnd(w[3]!)}  ${r[4]}`.trimEnd(),
    )
    .join('\n');
}

/** One line saying how a trial ended, in the kernel's words where there are some. */
export function outcomeMessage(image: Image, outcome: string, d: TrialResult['detail']): string {
  const n = namer(image);
  switch (outcome) {
    case 'lockup':
      return d.message ?? 'lockup';
    case 'lost':
      return `${n.cpu(d.cpu ?? -1)} lost: ${lostReasonText(image, d.reason ?? 0)}`;
    case 'assert':
      return `assertion failed on ${n.cpu(d.cpu ?? -1)} at ${n.where(d.pc ?? 0)}: ${d.message ?? ''}`;
    case 'limit':
      return `step limit (${image.limits.maxSteps}) hit: inconclusive`;
    default:
      return '';
  }
}
