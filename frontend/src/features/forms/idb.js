// A small promise wrapper over the plain IndexedDB API: the sheets being filled on this
// device (the last copy the server confirmed, plus the changed answers not yet sent),
// instrument definitions (a published version never changes), reviewers' unsent notes and
// the outbox of photos and videos not yet on the server (the files themselves).
// Values must be plain data: take $state.snapshot() of reactive objects before storing.

const DB_NAME = 'vsok-forms';
const DB_VERSION = 2;
export const SHEETS = 'sheets'; // {id, user_id, sheet, pending, rejected, saved_at}
export const INSTRUMENTS = 'instruments'; // {id, meta..., definition}
export const REVIEWS = 'reviews'; // {id, user_id, comment, indicator_comments}
export const OUTBOX = 'outbox'; // {id, user_id, sheet, indicator, file (a File), created}

let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      if (typeof indexedDB === 'undefined') {
        reject(new Error('IndexedDB is not available'));
        return;
      }
      const rq = indexedDB.open(DB_NAME, DB_VERSION);
      rq.onupgradeneeded = () => {
        const db = rq.result;
        for (const name of [SHEETS, INSTRUMENTS, REVIEWS, OUTBOX]) {
          if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: 'id' });
        }
      };
      rq.onsuccess = () => {
        const db = rq.result;
        // Another tab upgrading the schema: step aside, reopen on the next call.
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      rq.onerror = () => reject(rq.error);
      rq.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'));
    });
    opening.catch(() => {
      opening = null;
    });
  }
  return opening;
}

/** One transaction on one store; resolves with the last request's result once committed. */
async function run(store, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    let result;
    const rq = work(tx.objectStore(store));
    if (rq) rq.onsuccess = () => (result = rq.result);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction aborted'));
  });
}

export const idbGet = (store, key) => run(store, 'readonly', (s) => s.get(key));
export const idbAll = (store) => run(store, 'readonly', (s) => s.getAll());
export const idbPut = (store, value) => run(store, 'readwrite', (s) => s.put(value));
export const idbDelete = (store, key) => run(store, 'readwrite', (s) => s.delete(key));
