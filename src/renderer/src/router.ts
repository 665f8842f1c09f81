/**
 * Every view and object of the lab has a link (hash history, so it works
 * from a file and in browser mode alike): `#/build/<experiment>`,
 * `#/library/<experiment>`, `#/runs/<run>`, `#/compare?runs=<a>,<b>`,
 * `#/sweeps/<sweep>`, `#/catalog/<section>/<id>`. A route with `meta.nav`
 * gets a place in the left rail, in the order listed here: adding a view to
 * the lab is adding one entry.
 */
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import BuildView from './views/BuildView.vue'
import CatalogView from './views/CatalogView.vue'
import CompareView from './views/CompareView.vue'
import LibraryView from './views/LibraryView.vue'
import PresetsView from './views/PresetsView.vue'
import RunView from './views/RunView.vue'
import RunsView from './views/RunsView.vue'
import SweepsView from './views/SweepsView.vue'
import ValidationView from './views/ValidationView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** Shown in the left rail. */
    nav?: { label: string; hint: string }
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: { name: 'build' } },
  {
    path: '/build/:experimentId?',
    name: 'build',
    component: BuildView,
    meta: { nav: { label: 'Build', hint: 'Build an experiment on the topology canvas or as text' } }
  },
  {
    path: '/presets',
    name: 'presets',
    component: PresetsView,
    meta: { nav: { label: 'Presets', hint: 'Ready-made experiments to start from, each with its topology' } }
  },
  {
    path: '/library/:experimentId?',
    name: 'library',
    component: LibraryView,
    meta: { nav: { label: 'Library', hint: 'Every experiment kept, with its runs, notes, tags and history' } }
  },
  {
    path: '/run',
    name: 'run',
    component: RunView,
    meta: { nav: { label: 'Run', hint: 'Run the experiment and watch it live' } }
  },
  {
    path: '/runs/:runId?',
    name: 'runs',
    component: RunsView,
    meta: { nav: { label: 'Runs', hint: 'Past runs: reopen charts and summaries' } }
  },
  {
    path: '/compare',
    name: 'compare',
    component: CompareView,
    meta: { nav: { label: 'Compare', hint: 'Two or more runs side by side, or a run against its native baseline: deltas and what changed' } }
  },
  {
    path: '/sweeps/:sweepId?',
    name: 'sweeps',
    component: SweepsView,
    meta: { nav: { label: 'Sweeps', hint: 'Sweeps: a metric against the swept parameter, with confidence bars, and their runs' } }
  },
  {
    path: '/catalog/:section?/:entryId?',
    name: 'catalog',
    component: CatalogView,
    meta: { nav: { label: 'Catalog', hint: 'CPUs, hypervisors, devices, disks, workloads and their costs, each with its source' } }
  },
  {
    path: '/validation',
    name: 'validation',
    component: ValidationView,
    meta: { nav: { label: 'Validation', hint: 'The published measurements the model is checked against: literature, band, model value, fitted or held out' } }
  },
  { path: '/:unknown(.*)*', redirect: { name: 'build' } }
]

export function createLabRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
