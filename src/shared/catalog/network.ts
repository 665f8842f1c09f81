/**
 * Protocol constants the network model and the experiment schema share, so
 * that a limit the schema accepts and the arithmetic the engine does agree
 * (an MTU the schema takes leaves payload in every packet; a packet never
 * exceeds what IPv4 can carry). Each one names its standard.
 */
export const network = {
  /** Smallest MTU an IPv4 link may have: every module must forward a 68-octet datagram. */
  minMtu: 68,
  /** Largest MTU accepted: jumbo frames, 9,000 bytes of payload on most NICs, 9,216 on many switches. */
  maxMtu: 9216,
  /** Largest IPv4 datagram, bytes (the 16-bit total-length field). */
  maxDatagramBytes: 65_535,
  /** IPv4 (20) and TCP (20) headers plus the TCP timestamps option (12) that Linux sends by default, bytes per packet. */
  tcpIpHeaderBytes: 52,
  /** The unit a NIC with segmentation offload takes from the stack: one 64 KB TSO/GSO segment. */
  tsoChunkBytes: 65_536,
  /** netperf TCP_STREAM's default send size, bytes. */
  netperfMessageBytes: 65_536,
  sources: {
    minMtu: 'RFC 791 (IPv4): every internet module must be able to forward a datagram of 68 octets without further fragmentation (A); 576 is the size every host must be able to reassemble, not a link limit',
    maxMtu: 'IEEE 802.3 frames carry 1,500 bytes; jumbo frames are a vendor extension, 9,000 bytes of payload on most NICs and up to 9,216 on many switches (B)',
    maxDatagramBytes: 'RFC 791: total length is a 16-bit field (A)',
    tcpIpHeaderBytes: 'RFC 791 and RFC 793: 20-byte IPv4 and TCP headers; RFC 7323 (RFC 1323 then): 12-byte timestamps option, on by default in Linux (A)',
    tsoChunkBytes: 'Linux GSO/TSO: segments of up to 64 KB handed to the NIC (A, kernel netdev gso_max_size default 65,536)',
    netperfMessageBytes: 'netperf manual: TCP_STREAM send size defaults to the socket buffer size, 64 KB on Linux of the era (B)'
  }
} as const
