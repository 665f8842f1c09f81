/** The published cases' small experiments, for tests beyond the calibration suite (src/main/validation/lab.ts). */
export { BARCELONA, ESX35, NEHALEM, P4, labExperiment, one, run, tp, type Setup } from '../../src/main/validation/lab'
