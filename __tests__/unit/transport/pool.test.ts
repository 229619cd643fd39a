import { describe, expect, it } from '@jest/globals'
import { mapLimit } from '../../../src/transport/pool.js'

const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

describe('mapLimit: a few at a time', () => {
  it('answers in the order of the items, never more than the limit under way', async () => {
    let running = 0
    let most = 0
    const answers = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n, i) => {
      most = Math.max(most, ++running)
      for (let k = 0; k < n; k++) await tick()
      running--
      return `${i}:${n}`
    })
    expect(answers).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0'])
    expect(most).toBe(2)
  })

  it('starts nothing more after a failure, and throws it', async () => {
    const started: number[] = []
    const run = mapLimit([0, 1, 2, 3, 4, 5], 2, async n => {
      started.push(n)
      await tick()
      if (n === 1) throw new Error('item 1 failed')
      return n
    })
    await expect(run).rejects.toThrow('item 1 failed')
    expect(started).toEqual([0, 1, 2])
  })

  it('with no items, does nothing', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([])
  })
})
