// Argument checks shared by every public function. A statistic computed from a negative count or a
// confidence of 95 (instead of 0.95) is silently wrong, so bad input throws a RangeError that names
// the argument instead of returning NaN.

export function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

export function checkTrials(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

export function checkSuccesses(kName: string, k: number, nName: string, n: number): void {
  checkCount(kName, k);
  checkTrials(nName, n);
  if (k > n) throw new RangeError(`${kName} (${k}) must not exceed ${nName} (${n})`);
}

export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must lie strictly between 0 and 1 (e.g. 0.95), got ${confidence}`);
  }
}

export function checkProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must lie in [0, 1], got ${p}`);
}

export function checkPositive(name: string, value: number): void {
  if (!(value > 0)) throw new RangeError(`${name} must be positive, got ${value}`);
}

export function checkFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}
