//! The deployment's shell scripts parse.

use std::process::Command;

use crate::{read, repository};

#[test]
fn the_shell_scripts_parse() {
    for script in ["deploy/init-letsencrypt.sh", "deploy/nginx/start-nginx.sh"] {
        let text = read(script);
        let shebang = text.lines().next().and_then(|line| line.strip_prefix("#!"));
        // `#!/usr/bin/env bash` or `#!/bin/sh`: the shell is the last word.
        let shell = shebang.and_then(|line| line.split_whitespace().last());
        let shell = shell.and_then(|path| path.rsplit('/').next());
        let shell = shell.unwrap_or_else(|| panic!("{script} has no #! line"));
        let path = repository().join(script);
        let output = Command::new(shell).arg("-n").arg(path).output();
        let output = output.unwrap_or_else(|error| panic!("{script}: {shell} -n: {error}"));
        let errors = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{script}: {shell} -n fails:\n{errors}"
        );
    }
}
