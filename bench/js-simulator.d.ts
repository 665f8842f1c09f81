/** The part of js-simulator's (untyped, CommonJS) API the kernel benchmark uses. */
declare module 'js-simulator' {
  export class SimEvent {
    constructor(rank?: number)
    time: number
    rank: number
    update: (deltaTime: number) => void
  }
  export class Scheduler {
    current_time: number
    scheduleOnceIn(evt: SimEvent, deltaTime: number): void
    hasEvents(): boolean
    update(): void
  }
  const jssim: { Scheduler: typeof Scheduler; SimEvent: typeof SimEvent }
  export default jssim
}
