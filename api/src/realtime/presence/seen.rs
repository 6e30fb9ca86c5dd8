//! What one connection's client was told about who is online, so that it
//! is told only what changes it: a change announced twice (by two
//! instances, or again after a recheck) reaches it once.

use std::collections::HashSet;

use crate::core::UserId;
use crate::realtime::frames::ServerFrame;

#[derive(Default)]
pub struct SeenOnline(HashSet<UserId>);

impl SeenOnline {
    pub fn new(online: &[UserId]) -> Self {
        Self(online.iter().copied().collect())
    }

    /// Whether `frame` tells the client something new; it is then
    /// remembered as told. Frames other than presence always pass.
    pub fn is_news(&mut self, frame: &ServerFrame) -> bool {
        match frame {
            ServerFrame::Presence {
                user_id,
                online: true,
                ..
            } => self.0.insert(*user_id),
            ServerFrame::Presence { user_id, .. } => self.0.remove(user_id),
            _ => true,
        }
    }

    /// The frames that bring the client from what it was told to `online`.
    pub fn changes_to(&self, online: &[UserId]) -> Vec<ServerFrame> {
        let now: HashSet<UserId> = online.iter().copied().collect();
        let frame = |user_id: &UserId, online| ServerFrame::Presence {
            user_id: *user_id,
            online,
            last_seen_at: None,
        };
        let mut changes: Vec<ServerFrame> = now
            .difference(&self.0)
            .map(|user| frame(user, true))
            .collect();
        changes.extend(self.0.difference(&now).map(|user| frame(user, false)));
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn presence(user_id: UserId, online: bool) -> ServerFrame {
        ServerFrame::Presence {
            user_id,
            online,
            last_seen_at: None,
        }
    }

    #[test]
    fn a_change_is_news_once() {
        let anna = UserId::generate();
        let mut seen = SeenOnline::default();
        assert!(seen.is_news(&presence(anna, true)));
        assert!(!seen.is_news(&presence(anna, true)), "announced twice");
        assert!(seen.is_news(&presence(anna, false)));
        assert!(!seen.is_news(&presence(anna, false)));
    }

    #[test]
    fn a_recheck_yields_only_the_differences() {
        let (anna, boris, carol) = (UserId::generate(), UserId::generate(), UserId::generate());
        let seen = SeenOnline::new(&[anna, boris]);
        let mut changes: Vec<(UserId, bool)> = seen
            .changes_to(&[boris, carol])
            .into_iter()
            .filter_map(|frame| match frame {
                ServerFrame::Presence {
                    user_id, online, ..
                } => Some((user_id, online)),
                _ => None,
            })
            .collect();
        changes.sort();
        let mut expected = vec![(anna, false), (carol, true)];
        expected.sort();
        assert_eq!(changes, expected);
    }
}
