/**
 * FNV-1a 64-bit hash over numbers and strings, for the run checksum: same
 * experiment + seed → same samples and summary → same hex digest. Numbers are
 * hashed by their IEEE-754 bytes (so -0, NaN and tiny differences count),
 * little-endian and with one NaN pattern on every machine, so the digest does
 * not depend on the machine; the 64-bit product is done in 16-bit limbs to
 * stay exact in float64 arithmetic.
 */

// A number's bytes, always little-endian: a typed-array view would give the machine's byte order.
const view = new DataView(new ArrayBuffer(8))
/**
 * Every NaN is hashed as 0x7ff8000000000000, the quiet NaN the literal `NaN`
 * stores: the bits of a computed NaN vary by CPU (x86 sets the sign bit, ARM
 * does not) and even by whether the code was optimized. This is its high word.
 */
const NAN_HIGH = 0x7ff80000

export class Fnv64 {
  // The state as four 16-bit limbs, least significant first.
  private h0 = 0x2325
  private h1 = 0x8422
  private h2 = 0x9ce4
  private h3 = 0xcbf2

  /** Hashes one byte. */
  byte(b: number): void {
    this.h0 ^= b & 0xff
    // Multiply by the FNV prime 0x00000100_000001b3.
    const a0 = this.h0, a1 = this.h1, a2 = this.h2, a3 = this.h3
    let t0 = a0 * 0x1b3
    let t1 = a1 * 0x1b3
    let t2 = a2 * 0x1b3
    let t3 = a3 * 0x1b3
    // + (a << 40): 0x100 in limb 2 (bit 32) is the 2^40 term: limb k shifts to limb k+2, times 0x100.
    t2 += a0 << 8
    t3 += a1 << 8
    t1 += t0 >>> 16
    t0 &= 0xffff
    t2 += t1 >>> 16
    t1 &= 0xffff
    t3 += t2 >>> 16
    t2 &= 0xffff
    this.h0 = t0
    this.h1 = t1
    this.h2 = t2
    this.h3 = t3 & 0xffff
  }

  number(v: number): this {
    if (v === v) view.setFloat64(0, v, true)
    else {
      view.setUint32(0, 0, true)
      view.setUint32(4, NAN_HIGH, true)
    }
    for (let i = 0; i < 8; i++) this.byte(view.getUint8(i))
    return this
  }

  string(s: string): this {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      this.byte(c & 0xff)
      this.byte(c >>> 8)
    }
    this.byte(0)
    return this
  }

  hex(): string {
    const h = (x: number): string => x.toString(16).padStart(4, '0')
    return h(this.h3) + h(this.h2) + h(this.h1) + h(this.h0)
  }
}
