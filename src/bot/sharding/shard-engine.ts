import type { WorkerEngine } from '../../engine/worker-engine.js';
import type { Logger } from '../../logger.js';
import { loggableError } from '../sending/errors.js';
import type { ManagerLink } from './shard-ipc.js';

/**
 * A shard's engine: it only reads the index (opened with `readOnly`), and before each reload asks
 * the sharding manager, the one writer, to bring the index up to date with the corpus. If the
 * manager cannot (another writer busy, a full disk), the shard still reloads: files changed since the
 * last published index are then left out rather than quoted at stale offsets.
 */
export function managedEngine(engine: WorkerEngine, manager: ManagerLink, logger: Logger): WorkerEngine {
  manager.onIndexUpdated(() => {
    // Pick up the new generation now, so lists and autocomplete do not wait for the next question.
    engine
      .refresh()
      .catch((error: unknown) => logger.warn({ event: 'index-reload-failed', err: loggableError(error) }, 'could not reload the index'));
  });
  return {
    ...engine,
    refresh: async () => {
      try {
        await manager.sync();
      } catch (error) {
        logger.warn(
          { event: 'index-sync-failed', err: loggableError(error) },
          'the sharding manager could not update the index; answering from the published one',
        );
      }
      return engine.refresh();
    },
  };
}
