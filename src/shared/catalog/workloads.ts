/**
 * Workload presets: each is the demand of one *operation* of a real benchmark,
 * reasoned from what that benchmark does (how many instructions, system calls,
 * page faults, page-table writes, context switches, TLB misses, disk and
 * network requests one unit of its work causes), plus a default arrival
 * process. A preset holds demands only, never a result: what an operation
 * costs comes from the technique and device costs of the configuration.
 *
 * `buildPerOp(id, params)` turns a preset and its parameters into concrete
 * demands; the entries' `perOp` is that with the defaults.
 */
import { byId } from './byId'
import type { PerOp } from '../experiment/demands'
import type { WorkloadParams, WorkloadPreset } from './types'
import { costModel } from './costs'
import { SRC } from './sources'
import { network } from './network'

type Builder = (p: Required<WorkloadParams>) => PerOp

const ZERO: PerOp = {
  instructions: 0, syscalls: 0, page_faults: 0, pte_updates: 0, context_switches: 0,
  tlb_misses_per_kinstr: 0, kernel_instr_pct: 0, work_cv: 0, io_accesses: 0, disk: [], net: []
}

const DEFAULT_PARAMS: Required<WorkloadParams> = {
  kb: 8, read_pct: 100, pattern: 'random', direction: 'tx', mtu: 1500, working_set_mb: 1024, page_kb: 4
}

/** Disk requests of one operation: `count` requests split into reads and writes by read_pct. */
function diskMix(kb: number, readPct: number, pattern: 'random' | 'sequential', count = 1): PerOp['disk'] {
  const out: PerOp['disk'] = []
  const r = (readPct / 100) * count
  if (r > 0) out.push({ kind: 'read', kb, pattern, count: r })
  if (count - r > 0) out.push({ kind: 'write', kb, pattern, count: count - r })
  return out
}

/** Packets to move `bytes` of payload at an MTU (TCP/IP headers with timestamps: network.tcpIpHeaderBytes). */
function packets(bytes: number, mtu: number): number {
  return Math.ceil(bytes / (mtu - network.tcpIpHeaderBytes))
}

/** Reach of a 512-entry second-level TLB of 4 KB pages, MB. */
const TLB_REACH_MB = 2

/** One `kb` request, read or written by read_pct, through a short guest path. */
const diskRequest: Builder = (p) => ({
  ...ZERO, instructions: 2e4, kernel_instr_pct: 80, work_cv: 0.1, syscalls: 1, context_switches: 1, tlb_misses_per_kinstr: 1, disk: diskMix(p.kb, p.read_pct, p.pattern)
})

const builders: Record<string, Builder> = {
  'cpu-int': () => ({ ...ZERO, instructions: 1e7, kernel_instr_pct: 2, work_cv: 0.05, syscalls: 0.5, page_faults: 0.2, pte_updates: 0.2, context_switches: 0.1, tlb_misses_per_kinstr: 0.15 }),
  'cpu-syscall': () => ({ ...ZERO, instructions: 1e5, kernel_instr_pct: 40, work_cv: 0.2, syscalls: 8, page_faults: 1, pte_updates: 2, context_switches: 1, tlb_misses_per_kinstr: 0.3 }),
  forkwait: () => ({ ...ZERO, instructions: 8e4, kernel_instr_pct: 70, work_cv: 0.1, syscalls: 4, page_faults: 420, pte_updates: 90, context_switches: 4, tlb_misses_per_kinstr: 2 }),
  'memory-tlb': (p) => ({
    ...ZERO,
    instructions: 1e6,
    kernel_instr_pct: 0.5,
    work_cv: 0.05,
    page_faults: 0.01,
    // Random pointer chasing: about one load in fifty misses the TLB once the working set exceeds its reach.
    tlb_misses_per_kinstr: 20 * Math.max(0, 1 - TLB_REACH_MB / p.working_set_mb)
  }),
  'kernel-compile': () => ({
    ...ZERO, instructions: 1.5e8, kernel_instr_pct: 20, work_cv: 1, syscalls: 2500, page_faults: 11000, pte_updates: 5000, context_switches: 300, tlb_misses_per_kinstr: 0.5,
    disk: [{ kind: 'read', kb: 16, pattern: 'random', count: 0.3 }, { kind: 'write', kb: 32, pattern: 'sequential', count: 0.5 }]
  }),
  oltp: () => ({
    ...ZERO, instructions: 1.2e6, kernel_instr_pct: 30, work_cv: 0.5, syscalls: 30, page_faults: 0.5, pte_updates: 1, context_switches: 4, tlb_misses_per_kinstr: 2,
    disk: [
      { kind: 'read', kb: 8, pattern: 'random', count: 1 },
      { kind: 'write', kb: 8, pattern: 'random', count: 0.2 },
      { kind: 'write', kb: 4, pattern: 'sequential', count: 1 }
    ],
    net: [{ direction: 'rx', bytes: 300, count: 1 }, { direction: 'tx', bytes: 800, count: 1 }]
  }),
  web: (p) => ({
    ...ZERO, instructions: 4e5, kernel_instr_pct: 50, work_cv: 0.5, syscalls: 12, page_faults: 0.3, pte_updates: 0.5, context_switches: 2, tlb_misses_per_kinstr: 1,
    disk: [{ kind: 'read', kb: 16, pattern: 'random', count: 0.05 }],
    net: [{ direction: 'rx', bytes: 400, count: 1 }, { direction: 'tx', bytes: 1500, count: packets(p.kb * 1024, 1500) }]
  }),
  'file-server': (p) => ({
    ...ZERO, instructions: 1.5e5, kernel_instr_pct: 60, work_cv: 0.3, syscalls: 6, page_faults: 0.1, pte_updates: 0.2, context_switches: 2, tlb_misses_per_kinstr: 1,
    // Half the reads hit the server's page cache; every write reaches the disk.
    disk: [
      ...(p.read_pct > 0 ? [{ kind: 'read' as const, kb: p.kb, pattern: 'sequential' as const, count: (p.read_pct / 100) * 0.5 }] : []),
      ...(p.read_pct < 100 ? [{ kind: 'write' as const, kb: p.kb, pattern: 'sequential' as const, count: 1 - p.read_pct / 100 }] : [])
    ],
    net: [
      { direction: 'rx', bytes: 200, count: 1 },
      ...(p.read_pct > 0 ? [{ direction: 'tx' as const, bytes: 1500, count: (p.read_pct / 100) * packets(p.kb * 1024, 1500) }] : []),
      ...(p.read_pct < 100 ? [{ direction: 'rx' as const, bytes: 1500, count: (1 - p.read_pct / 100) * packets(p.kb * 1024, 1500) }] : [])
    ]
  }),
  // The two disk presets differ only in their default parameters.
  'disk-random': diskRequest,
  'disk-seq': diskRequest,
  'net-stream': (p) => ({
    ...ZERO, instructions: 3e4, kernel_instr_pct: 80, work_cv: 0.1, syscalls: 1, context_switches: 0.05, tlb_misses_per_kinstr: 1,
    net: [{ direction: p.direction, bytes: p.mtu, count: packets(network.netperfMessageBytes, p.mtu) }]
  }),
  'net-rr': () => ({
    ...ZERO, instructions: 1.5e4, kernel_instr_pct: 70, work_cv: 0.1, syscalls: 2, context_switches: 2, tlb_misses_per_kinstr: 1,
    net: [{ direction: 'tx', bytes: 64, count: 1 }, { direction: 'rx', bytes: 64, count: 1 }]
  })
}

type PresetInput = Omit<WorkloadPreset, 'perOp' | 'defaults'> & { defaults?: WorkloadParams }

function preset(p: PresetInput): WorkloadPreset {
  const defaults = { ...(p.defaults ?? {}) }
  return { ...p, defaults, perOp: buildPerOp(p.id, defaults) }
}

/** Concrete demands of one operation of preset `id` with `params` over the preset's defaults. */
export function buildPerOp(id: string, params: WorkloadParams): PerOp {
  const builder = builders[id]
  if (!builder) throw new Error(`unknown workload preset "${id}"`)
  return builder({ ...DEFAULT_PARAMS, ...params } as Required<WorkloadParams>)
}

const closed1 = { process: 'closed' as const, clients: 1, think_ms: 0 }
const CLOSED1 = 'one client issuing operations back to back, as the benchmark runs'
const BASE_CPI = 'costModel.baseCpi: ordinary integer code'
const NO_PEER = 'no remote peer in the loop'
const STACK = 'estimate: a system call or two to submit and reap the request, one block/wake-up'

export const workloads: Record<string, WorkloadPreset> = Object.fromEntries(
  [
    preset({
      id: 'cpu-int', name: 'CPU integer (SPECint-like)', params: [], arrival: closed1, cpi: costModel.baseCpi, peerUs: 0,
      description: 'One operation = 10 M user-mode integer instructions with a rare system call or fault: the kind of work VMware\'s 2007 comparison found to cost a few percent on ESX 3.',
      sources: {
        work_cv: 'estimate: units of integer work of one size; a little spread from caches and branches',
        kernel_instr_pct: 'estimate: SPECint programs spend 1–2 % of their time in the kernel (timer interrupts, scheduling, rare I/O)',
        instructions: 'estimate: a unit of work sized so a 2006 core completes a few hundred per second',
        syscalls: 'estimate: SPECint programs rarely enter the kernel (I/O of inputs only)',
        page_faults: 'estimate: working set already resident after start-up', pte_updates: 'estimate: as page faults',
        context_switches: 'estimate: an occasional timer-driven reschedule',
        tlb_misses_per_kinstr: 'estimate: SPECint2000 DTLB miss rates are ~0.1–1 per 1,000 instructions; 0.15 for cache-friendly integer code',
        cpi: BASE_CPI, peerUs: NO_PEER, arrival: CLOSED1
      }
    }),
    preset({
      id: 'cpu-syscall', name: 'System-call heavy ("complex CPU operations")', params: [], arrival: closed1, cpi: costModel.baseCpi, peerUs: 0,
      description: 'One operation = 100 k instructions with 8 system calls, a page fault, 2 page-table writes and a context switch: the lmbench-like "complex CPU operations" reported to cost up to ~18 % on ESX 3.',
      sources: {
        work_cv: 'estimate: the calls of the mix differ in length',
        kernel_instr_pct: 'estimate: an lmbench-style loop spends a large share inside its system calls',
        instructions: 'estimate: user and kernel work between system calls of an lmbench-style loop',
        syscalls: `estimate: lmbench-style mix of file and process calls; the mix behind the "complex CPU operations" figure (${SRC.vmwareCompare2007})`,
        page_faults: 'estimate: one fault per operation (mmap/brk churn)', pte_updates: 'estimate: two PTE writes per fault (map + permission change)',
        context_switches: 'estimate: one block/wake-up per operation', tlb_misses_per_kinstr: 'estimate: small working set, ~0.3 per 1,000 instructions',
        cpi: BASE_CPI, peerUs: NO_PEER, arrival: CLOSED1
      }
    }),
    preset({
      id: 'forkwait', name: 'fork/wait loop (Adams & Agesen forkwait)', params: [], arrival: closed1, cpi: costModel.baseCpi, peerUs: 0,
      description: 'One operation = one fork, exit and wait of a small process: ~420 page faults (copy-on-write, demand-zero, the child\'s start-up), ~90 page-table writes (write-protecting the parent\'s private pages), 4 context switches. The MMU micro-benchmark on which shadow paging suffers most.',
      sources: {
        work_cv: 'estimate: one loop iteration like the next',
        kernel_instr_pct: 'estimate: fork, exit and wait are kernel work; the child does almost nothing in user mode',
        instructions: `estimate: what is left of the ~150 µs one fork/wait takes natively on a P4 (${SRC.adamsAgesen}: 40,000 in 6.0 s) once its faults are paid`,
        syscalls: 'fork, exit, wait4 and a signal return per iteration (A, the benchmark loop)',
        page_faults: `estimate fitted to ${SRC.adamsAgesen} forkwait (40,000 iterations: native 6.0 s, software VMM 36.9 s, hardware VMM 106.4 s): with these demands, each fault followed by a hidden fault, the model gives ~6× native for binary translation (paper 6.2×) and ~21× for VT-x with shadow paging (paper 17.7×)`,
        pte_updates: 'estimate: one PTE write per private page the fork write-protects in the parent (the child\'s new tables are not shadowed yet, so filling them does not trap), same fit',
        context_switches: 'parent → child → parent, twice per iteration (A, the benchmark loop)',
        tlb_misses_per_kinstr: 'estimate: every CR3 switch flushes; the kernel walks fresh page tables',
        cpi: BASE_CPI, peerUs: NO_PEER, arrival: CLOSED1
      }
    }),
    preset({
      id: 'memory-tlb', name: 'TLB-bound random memory access', params: ['working_set_mb', 'page_kb'], defaults: { working_set_mb: 1024, page_kb: 4 },
      arrival: closed1, cpi: 4, peerUs: 0,
      description: 'One operation = 1 M instructions of random pointer chasing over `working_set_mb`; TLB misses grow as the working set exceeds the TLB\'s reach. With `page_kb: 2048` (and large pages on the host when virtualized) misses fall and walks shorten.',
      sources: {
        work_cv: 'estimate: one pointer chase like the next',
        kernel_instr_pct: 'estimate: a user-mode loop; the kernel only takes timer ticks',
        instructions: 'estimate: a unit of work of ~1 ms',
        page_faults: 'estimate: the working set is resident (touched once at start)',
        tlb_misses_per_kinstr: 'estimate: ~20 misses per 1,000 instructions once the working set dwarfs the 2 MB reach of a 512-entry TLB, × (1 − reach / working set)',
        cpi: 'estimate: most loads miss the caches (~100 ns DRAM, Dean 2009) — 4 cycles per instruction on average on the P4 reference',
        peerUs: NO_PEER, arrival: CLOSED1
      }
    }),
    preset({
      id: 'kernel-compile', name: 'Linux kernel compile (per source file)', params: [], arrival: { process: 'closed', clients: 2, think_ms: 0 }, cpi: costModel.baseCpi, peerUs: 0,
      description: 'One operation = compiling one C file: make, gcc, cc1 and as start (exec, ~11 k page faults, ~5 k page-table writes, 2,500 system calls, 150 M instructions), read a header miss and write the object. MMU-intensive: nested paging helps most here.',
      sources: {
        work_cv: 'estimate: source files differ by an order of magnitude in size, and their compile times with them',
        kernel_instr_pct: 'estimate: a kernel build spends ~20 % of its CPU time in system mode (time make: sys ÷ (user + sys))',
        instructions: 'estimate: ~0.1–0.2 s per file on a 2008 core',
        syscalls: 'estimate: opens/stats of headers, mmap, exec, wait across the 3–4 processes per file',
        page_faults: `estimate: 3–4 process start-ups per file × ~3 k faults (exec, shared libraries, heap); the count is fitted so that nested paging gains about a third over BT + shadow paging, within the "up to 42 %" (${SRC.vmwareRvi}) and "up to 48 %" (${SRC.vmwareEpt}) measured for MMU-intensive work`,
        pte_updates: 'estimate: page-table set-up and tear-down of those processes',
        context_switches: 'estimate: pipes between make, gcc and cc1, and I/O waits',
        tlb_misses_per_kinstr: 'estimate: compiler working sets of a few MB, ~0.5 per 1,000 instructions',
        disk: 'estimate: 30 % of files miss a header in the page cache (16 KB read); half the objects are written back during the run (32 KB)',
        cpi: BASE_CPI, peerUs: NO_PEER, arrival: 'make -j2: two jobs in flight'
      }
    }),
    preset({
      id: 'oltp', name: 'OLTP transaction (TPC-C-like)', params: [], arrival: { process: 'closed', clients: 8, think_ms: 0 }, cpi: 1.8, peerUs: 0,
      description: 'One operation = one transaction: ~1.2 M instructions, 30 system calls, one 8 KB random read (buffer-pool miss), a fifth of a random page write, one 4 KB sequential log write, a request in and a result out.',
      sources: {
        work_cv: 'estimate: the TPC-C mix runs five transaction types of different lengths',
        kernel_instr_pct: 'estimate: a database of the era spends ~30 % in the kernel (network, file I/O, futexes)',
        instructions: 'estimate: TPC-C new-order ~1 M instructions on MySQL/SQL Server of the era',
        syscalls: 'estimate: socket receive/send, file I/O, futex wake-ups per transaction',
        page_faults: 'estimate: buffer pool resident; occasional heap growth', pte_updates: 'estimate: as page faults',
        context_switches: 'estimate: client thread, log writer and I/O completions',
        tlb_misses_per_kinstr: 'estimate: large buffer pool accessed at random, ~2 per 1,000 instructions',
        disk: 'estimate: buffer pool of the era hits ~90 % (one 8 KB miss per transaction), page write-back one in five, one log write per commit',
        net: 'estimate: a ~300 B request and a ~800 B result per transaction',
        cpi: 'estimate: databases stall on cache misses (CPI ~2 on NetBurst)', peerUs: NO_PEER, arrival: '8 connections without think time'
      }
    }),
    preset({
      id: 'web', name: 'Web request (SPECweb-like)', params: ['kb'], defaults: { kb: 16 }, arrival: { process: 'poisson', rate_per_s: 500 }, cpi: 1.5, peerUs: 0,
      description: 'One operation = one HTTP request: parse, a 5 % chance of a file-cache miss, and a `kb` response sent in MTU-sized packets.',
      sources: {
        work_cv: 'estimate: static and dynamic requests differ in work',
        kernel_instr_pct: 'estimate: a web server spends about half its time in the kernel network stack',
        instructions: 'estimate: ~0.4 M instructions per request of a static/dynamic mix',
        syscalls: 'estimate: accept, read, stat/open, sendfile/write, close, epoll',
        page_faults: 'estimate: a worker occasionally maps a new file or grows its heap', pte_updates: 'estimate: the mappings of those faults',
        context_switches: 'estimate: worker wake-up and sleep', tlb_misses_per_kinstr: 'estimate: server code over a file cache, ~1 per 1,000 instructions',
        disk: 'estimate: 5 % file-cache misses of 16 KB', net: 'estimate: a 400 B request; the response in 1,500 B packets (SPECweb static mean ~15 KB)',
        cpi: 'estimate: server code with moderate cache misses', peerUs: 'the client waits for nothing but the response (open arrivals)',
        arrival: 'open Poisson load as a load generator produces'
      }
    }),
    preset({
      id: 'file-server', name: 'File server (SMB/NFS)', params: ['kb', 'read_pct'], defaults: { kb: 64, read_pct: 80 },
      arrival: { process: 'closed', clients: 4, think_ms: 10 }, cpi: costModel.baseCpi, peerUs: 0,
      description: 'One operation = a client reads or writes a `kb` chunk of a file: half the reads hit the page cache, the data crosses the network.',
      sources: {
        work_cv: 'estimate: protocol and file-system paths differ by request',
        kernel_instr_pct: 'estimate: file serving is mostly kernel work (network stack, page cache)',
        instructions: 'estimate: protocol decode and file-system path per request',
        syscalls: 'estimate: receive, file read/write, send and a stat per request',
        page_faults: 'estimate: the server is resident; rare mapping of new files', pte_updates: 'estimate: the mappings of those faults',
        context_switches: 'estimate: request thread wake-up and I/O wait', tlb_misses_per_kinstr: 'estimate: streaming through the page cache, ~1 per 1,000 instructions',
        disk: 'estimate: 50 % page-cache hit for reads; writes reach the disk; files are read and written sequentially',
        net: 'estimate: a 200 B request; the data in 1,500 B packets', cpi: BASE_CPI, peerUs: NO_PEER, arrival: '4 clients with 10 ms think time'
      }
    }),
    preset({
      id: 'disk-random', name: 'Random disk I/O (Iometer-like)', params: ['kb', 'read_pct', 'pattern'], defaults: { kb: 8, read_pct: 70, pattern: 'random' },
      arrival: closed1, cpi: costModel.baseCpi, peerUs: 0,
      description: 'One operation = one `kb` request, reads with probability read_pct, at random offsets; `clients` is the number of outstanding I/Os.',
      sources: {
        work_cv: 'estimate: one request path like the next',
        kernel_instr_pct: 'estimate: submitting and completing a request is kernel work',
        instructions: 'estimate: submit + complete in the guest', syscalls: STACK, context_switches: STACK,
        tlb_misses_per_kinstr: 'estimate: a short kernel path, ~1 per 1,000 instructions', disk: 'Iometer "database" access pattern: 8 KB, 70 % read, random (A, Iometer docs)',
        cpi: BASE_CPI, peerUs: NO_PEER, arrival: 'one outstanding I/O (Iometer default)'
      }
    }),
    preset({
      id: 'disk-seq', name: 'Sequential disk I/O', params: ['kb', 'read_pct', 'pattern'], defaults: { kb: 64, read_pct: 100, pattern: 'sequential' },
      arrival: closed1, cpi: costModel.baseCpi, peerUs: 0,
      description: 'One operation = one `kb` request continuing where the last one ended (a stream); interleaved with other streams on one disk it pays seeks again.',
      sources: {
        work_cv: 'estimate: one request path like the next',
        kernel_instr_pct: 'estimate: submitting and completing a request is kernel work',
        instructions: 'estimate: submit + complete in the guest', syscalls: STACK, context_switches: STACK,
        tlb_misses_per_kinstr: 'estimate: a short kernel path, ~1 per 1,000 instructions', disk: 'estimate: 64 KB is the usual streaming request size',
        cpi: BASE_CPI, peerUs: NO_PEER, arrival: 'one outstanding I/O'
      }
    }),
    preset({
      id: 'net-stream', name: 'TCP stream (netperf TCP_STREAM)', params: ['direction', 'mtu'], defaults: { direction: 'tx', mtu: 1500 },
      arrival: closed1, cpi: costModel.baseCpi, peerUs: 0,
      description: 'One operation = one 64 KB send (tx) or receive (rx), carried in packets of `mtu` bytes.',
      sources: {
        work_cv: 'estimate: one send like the next',
        kernel_instr_pct: 'estimate: a TCP stream spends most of its time in the kernel stack and the copy',
        instructions: 'estimate: socket path and copy for 64 KB', syscalls: 'one send() or recv() of 64 KB (netperf default message size) (A)',
        context_switches: 'estimate: the sender rarely blocks', tlb_misses_per_kinstr: 'estimate: socket buffers and the stack, ~1 per 1,000 instructions',
        net: 'netperf TCP_STREAM: 64 KB messages; packets of mtu − 52 bytes of payload (A); Ethernet 1,500, jumbo 9,000',
        cpi: BASE_CPI, peerUs: 'the receiver acknowledges in the background', arrival: 'one stream'
      }
    }),
    preset({
      id: 'net-rr', name: 'TCP request/response (netperf TCP_RR)', params: [], arrival: closed1, cpi: costModel.baseCpi, peerUs: 30,
      description: 'One operation = a 1-byte request out and a 1-byte response back: latency-bound, every packet pays the full path twice.',
      sources: {
        work_cv: 'estimate: one transaction like the next',
        kernel_instr_pct: 'estimate: a request/response loop is mostly the kernel network stack',
        instructions: 'estimate: two socket calls and the stack', syscalls: 'one send() and one recv() per transaction (A, netperf TCP_RR)',
        context_switches: 'block on recv() and wake on the response', tlb_misses_per_kinstr: 'estimate: the stack\'s working set, ~1 per 1,000 instructions',
        net: 'netperf TCP_RR: 1-byte payloads in minimum-size frames (A)', cpi: BASE_CPI,
        peerUs: 'estimate: GbE switch hop + remote host turnaround (~30 µs)', arrival: 'one transaction in flight (netperf TCP_RR)'
      }
    })
  ].map((w) => [w.id, w])
)

byId(workloads)
