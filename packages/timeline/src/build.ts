/**
 * From a reference-engine trace to a timeline: one lane per CPU, the kernel-level events that
 * matter (stores and loads of named fields, barriers, nap, wake and its reason, doorbells, entries
 * to named code, marks, loss, waiting), and how each lane ended.
 *
 * Generic: it reads only the image (threads, labels, memory symbols, strings) and a `Vocabulary`
 * that names the fields and code entries worth showing. Without a vocabulary, every access to a
 * named memory symbol is shown and no code entry is. The POWER8 vocabulary lives with the model
 * (`@naplab/power8-kvm` `TIMELINE_VOCABULARY`).
 */
import { printInstruction } from '@naplab/asm';
import { replayTrial, type TraceEvent } from '@naplab/engine-ref';
import {
  type Image,
  lostReasonText,
  type MemoryModel,
  STATUS_HALTED,
  STATUS_LOST,
  STATUS_NAPPING,
  type TrialResult,
} from '@naplab/isa';

export interface FieldInfo {
  /** display name, e.g. `hwthread_req` */
  label: string;
  /** names of values, e.g. `{ 0: 'IN_KERNEL' }` */
  values?: Record<number, string>;
}

export interface Vocabulary {
  /** memory symbol name without `@cpuN` (e.g. `HSTATE_HWTHREAD_REQ`) -> how to show it */
  fields: Record<string, FieldInfo>;
  /** code label -> text shown when a cpu starts executing at it */
  entries?: Record<string, string>;
  /** field (key of `fields`) whose current value, on the lane's own cpu, annotates each mark */
  annotateMarks?: string;
  /** thread name -> role shown in the lane header */
  roles?: Record<string, string>;
}

export type LaneState = 'running' | 'napping' | 'waiting' | 'lost' | 'halted';

export type EntryKind =
  | 'mark'
  | 'store'
  | 'load'
  | 'drain'
  | 'sync'
  | 'nap'
  | 'wake'
  | 'interrupt'
  | 'doorbell'
  | 'ipi'
  | 'msgclr'
  | 'env'
  | 'lost'
  | 'halt'
  | 'assert'
  | 'wait'
  | 'wait-over'
  | 'enter'
  | 'choose'
  | 'instr';

export interface TimelineEntry {
  /** the action's 0-based position in the trial; -1 for a notice that is not an action */
  step: number;
  cpu: number;
  kind: EntryKind;
  text: string;
  /** code location (`label+offset`), '' when not at an instruction */
  where: string;
  /** the instruction as printed, when one executed */
  instr?: string;
  /** doorbell / IPI target cpu */
  target?: number;
  /** a kernel-level event (false: instruction-level detail, shown on request) */
  key: boolean;
  /** the lane's state after this entry */
  state: LaneState;
}

export interface TimelineLane {
  cpu: number;
  name: string;
  /** the state the lane started in */
  start: LaneState;
  /** the state it ended in, with the reason in words */
  end: LaneState;
  endText: string;
}

export interface Timeline {
  lanes: TimelineLane[];
  entries: TimelineEntry[];
  outcome: TrialResult['outcome'];
  /** kernel-style outcome line (the watchdog line for a lockup), '' for ok */
  message: string;
  steps: number;
}

interface SymbolRef {
  base: string;
  cpu: number | undefined;
  offset: number;
  size: number;
}

function symbolIndex(image: Image): (addr: number) => SymbolRef | undefined {
  const syms = [...image.memory.symbols].sort((a, b) => a.size - b.size);
  return (addr) => {
    const s = syms.find((x) => addr >= x.addr && addr < x.addr + x.size);
    if (!s) return undefined;
    const at = s.name.indexOf('@');
    return { base: at < 0 ? s.name : s.name.slice(0, at), cpu: s.cpu, offset: addr - s.addr, size: s.size };
  };
}

function labelIndex(image: Image): { where(pc: number): string; entryAt: Map<number, string[]> } {
  const labels = Object.entries(image.labels)
    .filter(([name]) => !/^\d/.test(name))
    .sort((a, b) => a[1] - b[1] || a[0].length - b[0].length);
  const entryAt = new Map<number, string[]>();
  for (const [name, pc] of labels) {
    const l = entryAt.get(pc);
    if (l) l.push(name);
    else entryAt.set(pc, [name]);
  }
  return {
    where(pc) {
      let best: [string, number] | undefined;
      for (const l of labels) {
        if (l[1] > pc) break;
        if (!best || l[1] > best[1]) best = l;
      }
      if (!best) return `${pc}`;
      return best[1] === pc ? best[0] : `${best[0]}+${pc - best[1]}`;
    },
    entryAt,
  };
}

function stateOf(status: number): LaneState {
  return status === STATUS_NAPPING
    ? 'napping'
    : status === STATUS_HALTED
      ? 'halted'
      : status === STATUS_LOST
        ? 'lost'
        : 'running';
}

export interface BuildOptions {
  vocabulary?: Vocabulary;
  /** the trial's result (outcome and how each cpu ended) */
  result: TrialResult;
  /** the outcome line in the kernel's words (e.g. the watchdog line) */
  message: string;
  /**
   * the memory model of the trace: under `power` a store is committed to the storage subsystem
   * and a `drain` event is that write propagating to one cpu (its lane), not a store buffer
   */
  memory?: MemoryModel;
}

/** Turn a trace (the reference engine's `TraceEvent`s of one trial) into a timeline. */
export function buildTimeline(image: Image, events: readonly TraceEvent[], opts: BuildOptions): Timeline {
  const vocab = opts.vocabulary;
  const sym = symbolIndex(image);
  const lab = labelIndex(image);
  const n = image.threads.length;
  const state: LaneState[] = image.threads.map((t) => stateOf(t.status));
  const lanes: TimelineLane[] = image.threads.map((t, cpu) => ({
    cpu,
    name: t.name,
    start: state[cpu]!,
    end: state[cpu]!,
    endText: '',
  }));
  // cell values as the trace shows them (stores reaching memory, and each cpu's own buffered ones)
  const mem = new Map<number, number>(image.memory.init.map(([a, v]) => [a, v]));
  const waitingOn: (string | undefined)[] = new Array(n).fill(undefined);
  const entries: TimelineEntry[] = [];

  const fieldOf = (addr: number): { ref: SymbolRef; info: FieldInfo | undefined } | undefined => {
    const ref = sym(addr);
    if (!ref) return undefined;
    const info = vocab?.fields[ref.base];
    if (vocab && info === undefined) return undefined;
    return { ref, info };
  };
  const fieldName = (addr: number, lane: number): string => {
    const ref = sym(addr);
    if (!ref) return `[${addr}]`;
    const info = vocab?.fields[ref.base];
    let name = info?.label ?? ref.base;
    if (ref.size > 1) name += `+${ref.offset}`;
    if (ref.cpu !== undefined && ref.cpu !== lane) name += `@cpu${ref.cpu}`;
    return name;
  };
  const valueName = (addr: number, v: number): string => {
    const ref = sym(addr);
    const names = ref ? vocab?.fields[ref.base]?.values : undefined;
    return names?.[v] ?? String(v);
  };
  const cpuName = (c: number): string => {
    const t = image.threads[c];
    return t ? `cpu${c} (${t.name})` : `cpu${c}`;
  };

  for (const e of events) {
    const f = e.effect;
    const where = e.instr ? lab.where(e.pc) : '';
    const instr = e.instr ? printInstruction(image, e.pc) : undefined;
    const c = e.cpu;
    const push = (kind: EntryKind, text: string, key: boolean, extra: Partial<TimelineEntry> = {}): void => {
      entries.push({
        step: e.action < 0 ? -1 : e.step,
        cpu: c,
        kind,
        text,
        where,
        ...(instr !== undefined ? { instr } : {}),
        key,
        state: state[c]!,
        ...extra,
      });
    };
    // entering named code (the first instruction executed at a vocabulary label)
    if (e.instr && vocab?.entries && e.action >= 0) {
      for (const name of lab.entryAt.get(e.pc) ?? []) {
        const text = vocab.entries[name];
        if (text !== undefined) push('enter', text, true);
      }
    }
    switch (f.kind) {
      case 'exec':
      case 'count':
        push('instr', '', false);
        break;
      case 'mark': {
        let text = f.text;
        const a = vocab?.annotateMarks;
        // only marks that talk about the field get its value (`... nothing writes its hwthread_state`)
        if (a && text.includes(vocab.fields[a]?.label ?? a)) {
          const s = image.memory.symbols.find((x) => x.cpu === c && x.name.split('@')[0] === a);
          if (s) {
            const info = vocab.fields[a];
            const v = mem.get(s.addr) ?? 0;
            text += ` [${info?.label ?? a} = ${info?.values?.[v] ?? v}]`;
          }
        }
        push('mark', text, true);
        break;
      }
      case 'store':
      case 'stwcx': {
        const ok = f.kind === 'store' || f.success;
        if (ok && !(f.kind === 'store' && f.buffered)) mem.set(f.addr, f.value);
        const key = fieldOf(f.addr) !== undefined;
        const tail = f.kind === 'stwcx' && !f.success ? ' FAILED (reservation lost)' : '';
        const buf =
          f.kind === 'store' && f.buffered
            ? opts.memory === 'power'
              ? ' (committed)'
              : ' (store buffer)'
            : '';
        push('store', `${fieldName(f.addr, c)} = ${valueName(f.addr, f.value)}${buf}${tail}`, key);
        break;
      }
      case 'drain':
        mem.set(f.addr, f.value);
        push(
          'drain',
          opts.memory === 'power'
            ? `sees ${fieldName(f.addr, c)} = ${valueName(f.addr, f.value)} (propagated)`
            : `drains ${fieldName(f.addr, c)} = ${valueName(f.addr, f.value)}`,
          fieldOf(f.addr) !== undefined,
        );
        break;
      case 'load':
        push(
          'load',
          `${fieldName(f.addr, c)} -> ${valueName(f.addr, f.value)}`,
          fieldOf(f.addr) !== undefined,
        );
        break;
      case 'sync':
        push('sync', 'sync', true);
        break;
      case 'nap':
        state[c] = 'napping';
        push('nap', 'nap', true);
        break;
      case 'wake':
        state[c] = 'running';
        push('wake', `wakes (${f.reason}) -> system reset`, true);
        break;
      case 'interrupt':
        push('interrupt', `${f.reason} interrupt -> ${lab.where(f.vector)}`, true);
        break;
      case 'doorbell':
        push('doorbell', `doorbell -> ${cpuName(f.target)}`, true, { target: f.target });
        break;
      case 'ipi':
        push('ipi', `IPI -> ${cpuName(f.target)}`, true, { target: f.target });
        break;
      case 'msgclr':
        push('msgclr', 'msgclr (doorbell cleared)', true);
        break;
      case 'eoi':
        push('msgclr', 'external interrupt flushed', false);
        break;
      case 'pending':
        push('env', f.source === 'decrementer' ? 'decrementer fires' : `stray ${f.reason} arrives`, true);
        break;
      case 'lost':
        state[c] = 'lost';
        push('lost', `LOST: ${lostReasonText(image, f.reason)}`, true);
        break;
      case 'halt':
        state[c] = 'halted';
        push('halt', 'halt', true);
        break;
      case 'assert':
        push('assert', f.passed ? 'assert passed' : `ASSERT FAILED: ${f.message}`, !f.passed);
        break;
      case 'await-blocked': {
        state[c] = 'waiting';
        const a = mkAwait(image, e);
        waitingOn[c] = `${fieldName(f.addr, c)}${a}`;
        push('wait', `waits until ${fieldName(f.addr, c)}${a} (now ${valueName(f.addr, f.value)})`, true);
        break;
      }
      case 'await-passed':
        if (state[c] === 'waiting') state[c] = 'running';
        waitingOn[c] = undefined;
        push('wait-over', `${fieldName(f.addr, c)} = ${valueName(f.addr, f.value)}: wait over`, true);
        break;
      case 'choose':
        push('choose', `chooses ${f.value}`, true);
        break;
    }
  }

  // how each lane ended (the machine's final status; a running thread with nothing enabled waits)
  const d = opts.result.detail;
  for (const lane of lanes) {
    const s = state[lane.cpu]!;
    if (opts.result.outcome === 'lockup' && d.waiting === lane.cpu) {
      lane.end = 'waiting';
      lane.endText = `waits forever${waitingOn[lane.cpu] ? ` until ${waitingOn[lane.cpu]}` : ''}`;
      if (d.stuck && d.stuck.length > 0) lane.endText += `, for ${d.stuck.map(cpuName).join(', ')}`;
    } else if (s === 'lost') {
      lane.end = 'lost';
      lane.endText = 'lost: never executes again, takes no interrupt';
    } else if (s === 'waiting' || (waitingOn[lane.cpu] !== undefined && s === 'running')) {
      lane.end = 'waiting';
      lane.endText = `waits forever until ${waitingOn[lane.cpu] ?? '?'}`;
    } else if (s === 'napping') {
      lane.end = 'napping';
      lane.endText = 'napping, nothing left to wake it';
    } else if (s === 'halted') {
      lane.end = 'halted';
      lane.endText = 'halted';
    } else {
      lane.end = s;
      lane.endText = opts.result.outcome === 'limit' ? 'still running (step limit)' : s;
    }
  }
  return { lanes, entries, outcome: opts.result.outcome, message: opts.message, steps: opts.result.steps };
}

/** ` == 0` / ` != 0` for an await instruction at the event's pc. */
function mkAwait(image: Image, e: TraceEvent): string {
  const text = printInstruction(image, e.pc);
  const m = /^await\.(eq|ne)\s+[^,]+,\s*(-?\w+)/.exec(text);
  if (!m) return '';
  return ` ${m[1] === 'eq' ? '==' : '!='} ${m[2]}`;
}

/** Replay `schedule` on the reference engine and build its timeline. */
export function traceTimeline(
  image: Image,
  memory: MemoryModel,
  schedule: readonly number[],
  opts: { vocabulary?: Vocabulary; message: (r: TrialResult) => string },
): { timeline: Timeline; result: TrialResult; events: TraceEvent[] } {
  const events: TraceEvent[] = [];
  const result = replayTrial(image, memory, schedule, (e) => events.push(e));
  const timeline = buildTimeline(image, events, {
    vocabulary: opts.vocabulary,
    result,
    message: opts.message(result),
    memory,
  });
  return { timeline, result, events };
}
