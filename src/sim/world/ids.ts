/**
 * Deterministic identifiers: the same scenario with the same seed yields the same ARNs and instance ids,
 * so tests and recorded demos are reproducible. Not for anything secret.
 */
export class IdSource {
  private state: number

  constructor(seed = 0x2f6b_1d3) {
    this.state = seed >>> 0 || 1
  }

  /** xorshift32: tiny and good enough to make ids look like AWS's random ones. */
  private next(): number {
    let x = this.state
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    this.state = x >>> 0
    return this.state
  }

  hex(length: number): string {
    let out = ''
    while (out.length < length) out += this.next().toString(16).padStart(8, '0')
    return out.slice(0, length)
  }

  digits(length: number): string {
    let out = ''
    while (out.length < length) out += String(this.next() % 1_000_000_000).padStart(9, '0')
    return out.slice(0, length)
  }

  uuid(): string {
    const h = this.hex(32)
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
  }

  ec2InstanceId(): string {
    return `i-0${this.hex(16)}`
  }
}
