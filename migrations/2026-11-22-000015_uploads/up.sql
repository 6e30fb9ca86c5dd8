-- Pictures uploaded for posts (and later messages): stored at a display
-- size and as a thumbnail. One never attached to anything is removed after
-- a day.
CREATE TABLE uploads (
    id uuid PRIMARY KEY,
    owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Stem of the stored files: `<key>.jpg` and `<key>-thumb.jpg`.
    key text NOT NULL UNIQUE,
    width integer NOT NULL CHECK (width > 0),
    height integer NOT NULL CHECK (height > 0),
    thumbnail_width integer NOT NULL CHECK (thumbnail_width > 0),
    thumbnail_height integer NOT NULL CHECK (thumbnail_height > 0),
    created_at timestamptz NOT NULL,
    -- When something first referred to it; NULL: nothing yet.
    attached_at timestamptz
);

CREATE INDEX uploads_owner_idx ON uploads (owner_id);
CREATE INDEX uploads_unattached_idx ON uploads (created_at) WHERE attached_at IS NULL;

-- The pictures of a post, in the author's order.
CREATE TABLE post_images (
    post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    upload_id uuid NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position BETWEEN 1 AND 10),
    PRIMARY KEY (post_id, upload_id)
);

CREATE INDEX post_images_upload_idx ON post_images (upload_id);
