//! Reading one credential: its item and its registered app.

use std::cell::{Cell, RefCell};
use std::future::{Future, poll_fn};
use std::task::Poll;

use crate::client::Client;
use crate::error::Error;
use crate::model::{AppInfo, Credential, Item};
use crate::paths;
use crate::request::ApiRequest;
use crate::transport::Transport;

pub(crate) fn item_request(id: &str) -> ApiRequest {
    ApiRequest::read(paths::item(id))
}

/// The app behind item `id` of `owner` (a POST, as REST JS sends it).
pub(crate) fn app_request(owner: &str, id: &str) -> ApiRequest {
    ApiRequest::write(paths::item_action(owner, id, "registeredAppInfo"))
}

/// Credentials (or apps) read at once when many are wanted: a browser opens at most 6
/// connections to one host over HTTP/1.1, so more would only queue there.
pub const READS_AT_ONCE: usize = 6;

impl<T: Transport> Client<T> {
    /// An item by id (one round trip): a credential's, or one it may access.
    pub async fn item(&self, id: &str) -> Result<Item, Error> {
        self.call(&item_request(id)).await
    }

    /// The app behind an item the caller already has (one round trip).
    pub async fn credential_of(&self, item: Item) -> Result<Credential, Error> {
        let app: AppInfo = self.call(&app_request(&item.owner, &item.id)).await?;
        Ok(Credential { item, app })
    }

    /// A credential by item id. The item and the app are fetched at once, assuming the
    /// signed-in user owns the item; for someone else's item (an admin's view) the app
    /// is fetched again under its owner.
    pub async fn credential(&self, id: &str) -> Result<Credential, Error> {
        let me = self.username()?;
        let (item, app) = futures_util::future::join(self.item(id), self.call::<AppInfo>(&app_request(&me, id))).await;
        let item = item?;
        if item.owner != me {
            return self.credential_of(item).await;
        }
        Ok(Credential { item, app: app? })
    }
}

/// `read` of every input, [`READS_AT_ONCE`] at a time, the answers in the inputs' order;
/// the first failure ends it (a caller asking for these wants all of them). A few readers
/// take the next input in turn, polled together: the window of `buffered` or
/// `try_join_all`, which cost 4.7 KB of gzipped wasm for one caller's future type, where
/// this costs 1.4 KB (measured).
pub async fn read_at_once<'a, I, T, E, F: Future<Output = Result<T, E>>>(
    inputs: &'a [I],
    read: impl Fn(&'a I) -> F,
) -> Result<Vec<T>, E> {
    let next = Cell::new(0);
    let answers: RefCell<Vec<Option<T>>> = RefCell::new(inputs.iter().map(|_| None).collect());
    let reader = || async {
        loop {
            let at = next.replace(next.get() + 1);
            let Some(input) = inputs.get(at) else { return Ok(()) };
            let answer = read(input).await?;
            if let Some(place) = answers.borrow_mut().get_mut(at) {
                *place = Some(answer);
            }
        }
    };
    let mut readers: Vec<_> = (0..READS_AT_ONCE.min(inputs.len())).map(|_| Some(Box::pin(reader()))).collect();
    poll_fn(|cx| {
        for slot in readers.iter_mut() {
            if let Some(reader) = slot {
                match reader.as_mut().poll(cx) {
                    Poll::Ready(Ok(())) => *slot = None,
                    Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                    Poll::Pending => {}
                }
            }
        }
        if readers.iter().all(Option::is_none) { Poll::Ready(Ok(())) } else { Poll::Pending }
    })
    .await?;
    drop(readers);
    Ok(answers.into_inner().into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::read_at_once;

    #[tokio::test]
    async fn answers_in_the_inputs_order_and_stops_at_the_first_failure() {
        let inputs: Vec<u32> = (0..20).collect();
        let doubled = read_at_once(&inputs, |n| async move { Ok::<_, ()>(n * 2) }).await;
        assert_eq!(doubled, Ok(inputs.iter().map(|n| n * 2).collect()));
        assert_eq!(read_at_once(&[] as &[u32], |n| async move { Ok::<_, ()>(*n) }).await, Ok(vec![]));

        let calls = Cell::new(0);
        let failed = read_at_once(&inputs, |n| {
            calls.set(calls.get() + 1);
            async move { if *n == 2 { Err(format!("input {n}")) } else { Ok(*n) } }
        })
        .await;
        assert_eq!(failed, Err("input 2".to_owned()));
        assert!(calls.get() < inputs.len(), "{} of {} read after the failure", calls.get(), inputs.len());
    }
}
