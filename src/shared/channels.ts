/**
 * The names of every LabApi call and event, and the Electron IPC channels
 * they travel on. Kept free of dependencies so the sandboxed preload can
 * bundle it alone; contract.ts checks that its schemas cover exactly these.
 */
export const COMMAND_NAMES = [
  'app:info',
  'examples:list',
  'experiments:validate',
  'experiments:save',
  'experiments:list',
  'experiments:get',
  'experiments:update',
  'experiments:duplicate',
  'experiments:delete',
  'experiments:restore',
  'experiments:version',
  'experiments:diff',
  'experiments:import',
  'experiments:export',
  'drafts:get',
  'drafts:save',
  'runs:start',
  'runs:cancel',
  'runs:pause',
  'runs:resume',
  'runs:list',
  'runs:delete',
  'runs:restore',
  'runs:samples',
  'runs:summaryAt',
  'runs:events',
  'runs:get',
  'runs:verify',
  'runs:compare',
  'reports:render',
  'reports:save',
  'catalog:get',
  'validation:run',
  'sweeps:start',
  'sweeps:list',
  'sweeps:get',
  'sweeps:cancel',
  'sweeps:resume'
] as const

export const EVENT_NAMES = [
  'run:progress',
  'run:samples',
  'run:paused',
  'run:started',
  'run:ended',
  'run:events',
  'experiment:opened',
  'validation:progress',
  'sweep:progress',
  'sweep:ended'
] as const

/** Electron IPC channel of a call: one checked prefix. */
export const IPC_PREFIX = 'lab:'
/** Electron IPC channel on which main pushes events. */
export const IPC_EVENT_CHANNEL = 'lab-event'
/** Browser mode: the WebSocket path; the token rides in the query string. */
export const WS_PATH = '/api'
