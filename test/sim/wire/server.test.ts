/**
 * The server's own lifecycle: a port already taken is an EADDRINUSE error (the command turns it into exit
 * 2), and close() does not wait forever for a client that never finishes its request.
 */
import {connect} from 'node:net'
import {describe, expect, it} from 'vitest'

import {serveWorld} from '../../../src/sim/serve.js'
import {fakeWorld} from './fake-world.js'

describe('sim server', () => {
  it('rejects a port that is already in use with EADDRINUSE', async () => {
    const first = await serveWorld(fakeWorld())
    try {
      await expect(serveWorld(fakeWorld(), {port: first.port})).rejects.toMatchObject({code: 'EADDRINUSE'})
    } finally {
      await first.close()
    }
  })

  it('closes within seconds even while a client holds a half-sent request', async () => {
    const sim = await serveWorld(fakeWorld())
    const socket = connect(sim.port, '127.0.0.1')
    socket.on('error', () => {})
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    socket.write('POST / HTTP/1.1\r\nHost: sim\r\nContent-Length: 100\r\n\r\n{')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const began = Date.now()
    await sim.close()
    expect(Date.now() - began).toBeLessThan(5_000)
    socket.destroy()
  })
})
