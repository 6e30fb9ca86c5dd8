-- What a person may do beyond their own things: moderators keep the forum
-- civil, admins also run it (categories, bans, appointing moderators).
ALTER TABLE users
    ADD COLUMN role text NOT NULL DEFAULT 'user'
        CHECK (role IN ('user', 'moderator', 'admin'));
