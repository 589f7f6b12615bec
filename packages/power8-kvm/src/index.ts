/**
 * `@naplab/power8-kvm`: the POWER8 KVM hardware-thread handshake as naplab assembly (`model/`),
 * its four wakeup variants, the scenario DSL that places it on a machine, and the built-in
 * scenarios.
 */
export { BUILTIN_SCENARIOS, DEFAULT_SCENARIO, getBuiltinScenario } from './builtins.js';
export { compileScenario, scenarioToImageSpec } from './compile.js';
export * from './constants.js';
export { codeLabelAt, memorySymbolAt } from './labels.js';
export { loadScenarioFile } from './load.js';
export {
  kernelSources,
  MODEL_DIR,
  MODEL_FILES,
  modelSource,
  WAKEUP_ENTRY,
  WAKEUP_VARIANT_INFO,
  WAKEUP_VARIANTS,
  type WakeupVariant,
  wakeupSource,
} from './model.js';
export {
  CEDE_MODES,
  type CedeMode,
  type CpuRole,
  cpuRoles,
  DEFAULT_SCENARIO_LIMITS,
  defineScenario,
  type GuestOptions,
  HOST_IDLE_MODES,
  type HostIdleMode,
  KSMD_STARTS,
  type KsmdOptions,
  type KsmdStart,
  type ResolvedScenario,
  resolveScenario,
  SCENARIO_ERROR_CODES,
  type Scenario,
  ScenarioError,
  type ScenarioErrorCode,
  type ScenarioLimits,
  STRAY_KINDS,
  type StrayKind,
  type StrayWake,
} from './scenario.js';
export { TIMELINE_VOCABULARY } from './timeline-vocabulary.js';
