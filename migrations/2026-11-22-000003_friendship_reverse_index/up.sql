-- Deleting an account cascades over friendships by friend_id too.
CREATE INDEX friendships_friend_id_idx ON friendships (friend_id);
