DROP INDEX friendships_friend_id_idx;
