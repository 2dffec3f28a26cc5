import { describe, expect, it } from 'vitest';
import { progressWords } from '$lib/sync';
import { showsProgress } from './sync-strip-progress';

describe('showsProgress (issue 12: no jump on a first open)', () => {
  const checking = progressWords({ step: 'account' });

  it('keeps quiet while a device with no diary only checks for a connection', () => {
    expect(showsProgress(checking, false)).toBe(false);
  });

  it('speaks as soon as something is being saved, diary or not', () => {
    expect(showsProgress(progressWords({ step: 'snapshots', done: 0, total: 3 }), false)).toBe(
      true,
    );
    expect(showsProgress(progressWords({ step: 'recent' }), false)).toBe(true);
    expect(
      showsProgress(progressWords({ step: 'paused', until: Date.UTC(2026, 0, 1) }), false),
    ).toBe(true);
  });

  it('always speaks when there is a diary to update', () => {
    expect(showsProgress(checking, true)).toBe(true);
  });
});
