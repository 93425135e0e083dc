//! A bounded set of open connections. The bound stays under the process's file-descriptor
//! limit, so accept() does not fail for want of descriptors. When it is reached, the oldest
//! connections are asked to close once idle (hyper's graceful shutdown finishes the request in
//! flight first), so a flood of idle connections cannot keep a new client out.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

pub struct Connections {
    slots: Arc<Semaphore>,
    /// Open connections by age (the id counts up), each with its "please close" signal.
    open: Mutex<BTreeMap<u64, Arc<Notify>>>,
    next_id: Mutex<u64>,
}

/// One open connection's place; dropping it frees the place.
pub struct Slot {
    id: u64,
    pub close_when_idle: Arc<Notify>,
    owner: Arc<Connections>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.owner.lock_open().remove(&self.id);
    }
}

impl Connections {
    pub fn new(max: usize) -> Arc<Connections> {
        Arc::new(Connections {
            slots: Arc::new(Semaphore::new(max)),
            open: Mutex::new(BTreeMap::new()),
            next_id: Mutex::new(0),
        })
    }

    fn lock_open(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Arc<Notify>>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A place for one more connection, asking the oldest to close while none is free.
    pub async fn acquire(self: &Arc<Self>) -> Slot {
        loop {
            if let Ok(permit) = self.slots.clone().try_acquire_owned() {
                return self.slot(permit);
            }
            // Ask the oldest connection not yet asked; wait a little for any place to free.
            if let Some((_, signal)) = self.lock_open().pop_first() {
                signal.notify_one();
            }
            let wait = tokio::time::timeout(std::time::Duration::from_millis(50), self.slots.clone().acquire_owned());
            if let Ok(Ok(permit)) = wait.await {
                return self.slot(permit);
            }
        }
    }

    fn slot(self: &Arc<Self>, permit: OwnedSemaphorePermit) -> Slot {
        let id = {
            let mut n = self.next_id.lock().unwrap_or_else(|p| p.into_inner());
            *n += 1;
            *n
        };
        let close_when_idle = Arc::new(Notify::new());
        self.lock_open().insert(id, close_when_idle.clone());
        Slot { id, close_when_idle, owner: self.clone(), _permit: permit }
    }

    /// Asks every open connection to close once idle (shutdown).
    pub fn close_all_when_idle(&self) {
        for signal in self.lock_open().values() {
            signal.notify_one();
        }
    }

    pub fn open_count(&self) -> usize {
        self.lock_open().len()
    }
}
