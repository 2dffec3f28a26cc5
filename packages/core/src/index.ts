export * from './types.js';
export * from './calendar.js';
export * from './periods.js';
export * from './ranking.js';
export * from './snapshots.js';
export * from './turnover.js';
export * from './mood.js';
export * from './diary.js';
