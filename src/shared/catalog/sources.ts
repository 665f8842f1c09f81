/**
 * The citations catalog entries point at, written once so every entry names
 * its source the same way. Grades follow docs/model.md: A = read in the
 * primary source, B = reputable secondary, C = transcription of the primary,
 * to be checked.
 */
export const SRC = {
  adamsAgesen: 'Adams & Agesen, "A Comparison of Software and Hardware Techniques for x86 Virtualization", ASPLOS 2006, Fig. 4 / Table 1 (C)',
  bugnion: 'Bugnion, Nieh & Tsafrir, "Hardware and Software Support for Virtualization", 2017, Table 4.3 (C)',
  anandNehalem: 'AnandTech, Nehalem Xeon 5500 review, 2009: VM exit/entry about 40 % faster than Penryn (B)',
  ainsworthJones: 'Ainsworth & Jones, page-walk references with page-walk caches: ~1.5 native, ~4.4 nested (B)',
  bhargava: 'Bhargava et al., "Accelerating Two-Dimensional Page Walks for Virtualized Systems", ASPLOS 2008: (n+1)(m+1)-1 = 24 references (A)',
  sugerman: 'Sugerman, Venkitachalam & Lim, "Virtualizing I/O Devices on VMware Workstation", USENIX ATC 2001 (A)',
  dean: 'Dean, "Numbers everyone should know", 2009: DRAM reference ~100 ns (B)',
  intelMlc: 'Intel Memory Latency Checker blog, 2014: 135 ns local / ~200 ns remote (A)',
  intelArk: 'Intel ARK product specification (A)',
  amdSpec: 'AMD Opteron product data sheet (A)',
  vmwareRvi: 'VMware, "Performance Evaluation of AMD RVI Hardware Assist", 2008: up to 42 % on MMU-intensive work (A)',
  vmwareEpt: 'VMware, "Performance Evaluation of Intel EPT Hardware Assist", 2009: up to 48 % (A)',
  vmwareSched: 'VMware, "The CPU Scheduler in VMware ESX 4", 2009: 50 ms default time quantum (B)',
  xenCredit: 'Xen credit scheduler documentation: 30 ms time slice (A)',
  cfs: 'Linux CFS: sched_latency 6 ms on small machines (A, kernel/sched_fair.c of 2.6.2x)',
  hypervSched: 'estimate: Hyper-V root scheduler quantum ~10 ms (Windows server quantum order of magnitude)',
  vmwareCompare2007: 'VMware, "A Performance Comparison of Hypervisors", 2007: ESX 3.0.1 3 % vs Xen 3.0.3 6 % average (B)',
  seagate7200: 'Seagate Barracuda 7200.10 datasheet: 8.5 ms avg seek, 4.17 ms avg latency (A)',
  wd5400: 'WD Scorpio Blue 5,400 rpm datasheet: 12 ms avg seek, 5.5 ms avg latency (A)',
  raptor10k: 'WD VelociRaptor 10,000 rpm datasheet: 4.2 ms avg seek, 3.0 ms avg latency (A)',
  hitachi15k: 'Hitachi Ultrastar 15K450 datasheet: 3.4 ms avg seek, 2.0 ms avg latency (A)',
  x25e: 'Intel X25-E reviews, 2008: ~75 µs access, 35 k read IOPS, 250/170 MB/s (A)',
  ssdSata: 'Intel SSD 520 / Samsung 830 datasheets, 2012: ~500 MB/s, ~80 k IOPS (A)',
  vmwarePvscsi: 'VMware, "PVSCSI Storage Performance", 2009: PVSCSI 12 % more throughput at 18 % less CPU than LSI Logic (B)',
  vmwareVmxnet3: 'VMware, "Performance Evaluation of VMXNET3", 2009 (B)',
  vmware10g: 'VMware, "10Gbps Networking Performance", 2008: 9.3 Gb/s practical (A)',
  dong: 'Dong et al., "High Performance Network Virtualization with SR-IOV", HPCA 2010 (A)',
  menon: 'Menon et al., "Diagnosing Performance Overheads in the Xen Virtual Machine Environment", VEE 2005: dom0 netback/blkback cost (B)',
  hypervVhd: 'Microsoft, "Windows Server 2008 Hyper-V virtual hard disk performance" whitepaper: pass-through ~5 % more I/O than fixed VHD; fixed 10–15 % ahead of dynamic (A)',
  vmfsThin: 'VMware, "Performance Study of VMware vStorage Thin Provisioning", 2009: first-write allocation cost (B)',
  qcow2: 'QEMU qcow2 specification: 64 KB clusters, L1/L2 table look-ups and allocation on first write (A)',
  mcdata: 'McDATA 4 Gb switch guide: < 0.3–0.8 µs per hop (A)',
  linuxHz: 'Linux 2.6 CONFIG_HZ=1000 default of the era; Windows 64 Hz clock (VMware "Timekeeping in VMware Virtual Machines") (A)'
} as const
