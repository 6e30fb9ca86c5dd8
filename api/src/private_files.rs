//! Files that hold secrets (the development signing secret, emails carrying
//! live sign-in links) are readable by their owner only from the moment they
//! exist, never created open and tightened afterwards.

use std::io::Write;
use std::path::Path;

/// Creates `dir` and any missing parents; the ones created are 0700.
/// An existing directory keeps the permissions its owner gave it.
pub fn create_dir_all(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes a file that must not exist yet, as 0600, under a temporary name
/// first so that nobody reading the directory sees half of it.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let file_name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("a file path needs a file name"))?;
    let mut partial_name = std::ffi::OsString::from(".");
    partial_name.push(file_name);
    partial_name.push(".partial");
    let partial = path.with_file_name(partial_name);
    // A hard link, unlike a rename, fails when the name is taken.
    let written = write_partial(&partial, bytes).and_then(|()| std::fs::hard_link(&partial, path));
    // Best effort either way: the write's own outcome is the one to report.
    let _ = std::fs::remove_file(&partial);
    written
}

fn write_partial(partial: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(partial)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn directories_and_files_are_the_owners_alone() {
        let root = std::env::temp_dir().join(format!("noxchat-private-{}", uuid::Uuid::new_v4()));
        let dir = root.join("data").join("outbox");
        create_dir_all(&dir).expect("created");
        assert_eq!(mode(&root.join("data")), 0o700);
        assert_eq!(mode(&dir), 0o700);
        let file = dir.join("mail.eml");
        write_new(&file, b"secret link").expect("written");
        assert_eq!(mode(&file), 0o600);
        assert_eq!(std::fs::read(&file).expect("read"), b"secret link");
        let again = write_new(&file, b"other");
        assert_eq!(
            again.map_err(|e| e.kind()),
            Err(std::io::ErrorKind::AlreadyExists),
            "an existing file is never replaced"
        );
        assert_eq!(std::fs::read(&file).expect("read"), b"secret link");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("mail.eml")],
            "no partial file left"
        );
        std::fs::remove_dir_all(&root).expect("clean up");
    }
}
