//! Build script: embeds git/version information for `--version` and rebuilds on git changes.

fn main() {
	substrate_build_script_utils::generate_cargo_keys();
	substrate_build_script_utils::rerun_if_git_head_changed();
}
