/**
 * The wire layer's own vocabulary: a raw HTTP request as the server read it, the call it decodes to, and the
 * raw response a codec produces. Codecs are pure functions from one to the other, so they can be tested
 * without a socket.
 */
import type {SimServiceName} from '../types.js'

export interface WireRequest {
  method: string
  /** Path and query string, as received. */
  url: string
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>
  body: Buffer
}

export interface WireResponse {
  status: number
  headers: Record<string, string>
  body: Buffer | string
}

/** Every protocol the sim speaks; each service speaks one or more of them. */
export type ProtocolId = 'awsJson1_1' | 'awsJson1_0' | 'rpcv2Cbor' | 'awsQuery' | 'restJson1'

/** A request decoded into an operation call, in AWS's own input shape. */
export interface DecodedCall {
  service: SimServiceName
  protocol: ProtocolId
  operation: string
  input: Record<string, unknown>
}

/** What the router knows before (or without) decoding an operation: enough to write an error. */
export interface Destination {
  service: SimServiceName
  protocol: ProtocolId
  /** Empty when the operation could not be found in the request. */
  operation: string
}

export interface ResponseContext {
  requestId: string
}
