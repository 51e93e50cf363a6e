//! Project automation, `cargo xtask <command>`: installs the pinned tools this
//! project needs (only when missing or at another version), builds the widget and
//! the Worker, runs the product locally, and runs every test.

#[cfg(test)]
mod tidy;
mod tools;
mod wasm_names;
mod wasm_snip;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use tools::{run, Tools};

const USAGE: &str = "\
usage: cargo xtask <command>

  dev     install what is missing, build, and serve everything on http://127.0.0.1:8787
  test    install what is missing (incl. Chromium), build, run every test
  build   build the widget (release, wasm-opt -Oz) and the Worker
  setup   only install what is missing  [--test: also Chromium and chromedriver]
  size    print the widget's transfer sizes (raw, gzip, brotli)
  bench   build and run the benchmarks (sizes, browser timings, edge latency)
          [--coldstart: the Worker's cold start under wrangler dev instead]
  calendar due YYYY-MM-DD REPLY_DAYS | add-months|add-days YYYY-MM-DD N
          the product's own date rules (the end-to-end tests ask these)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let result = match args.first().map(String::as_str) {
        Some("setup") => Tools::ensure(&root, args.iter().any(|a| a == "--test")).map(|_| ()),
        Some("build") => Tools::ensure(&root, false).and_then(|tools| build(&root, &tools)),
        Some("dev") => Tools::ensure(&root, false).and_then(|tools| dev(&root, &tools, &args[1..])),
        Some("test") => {
            Tools::ensure(&root, true).and_then(|tools| test(&root, &tools, &args[1..]))
        }
        Some("size") => Tools::ensure(&root, false).and_then(|tools| size(&root, &tools)),
        Some("bench") => {
            Tools::ensure(&root, true).and_then(|tools| bench(&root, &tools, &args[1..]))
        }
        Some("calendar") => calendar(&args[1..]).map(|answer| println!("{answer}")),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

/// Builds the widget (WASM + loader) into `www/` and the Worker into `edge/build/`.
fn build(root: &Path, tools: &Tools) -> Result<(), String> {
    let started = Instant::now();
    build_widget(root, tools)?;
    build_edge(root, tools)?;
    println!(
        "xtask: build finished in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn build_widget(root: &Path, tools: &Tools) -> Result<(), String> {
    // One crate, five WASM modules (see widget/Cargo.toml): the consent module every
    // page loads, the preferences dialog it loads when idle or on first use, and
    // the rights-request form, the embeds' placeholders and the cookie declaration
    // that only pages with their mount points load.
    // `bare`: without `std` (see widget/src/lib.rs).
    for (feature, name) in [
        ("consent,bare", "widget"),
        ("prefs,bare", "prefs"),
        // The form once per language; the loader fetches the page's.
        ("form,bare,only-en", "form_en"),
        ("form,bare,only-nl", "form_nl"),
        ("embeds,bare", "embeds"),
        ("declaration,bare", "declaration"),
    ] {
        run(Command::new("cargo").current_dir(root).args([
            "build",
            "--package",
            "widget",
            "--target",
            "wasm32-unknown-unknown",
            "--release",
            "--no-default-features",
            "--features",
            feature,
        ]))?;
        let out = root.join("www/w");
        let wasm = root.join("target/wasm32-unknown-unknown/release/widget.wasm");
        run(Command::new(&tools.wasm_bindgen)
            .current_dir(root)
            // The loader always passes the .wasm URL, and TextEncoder.encodeInto is
            // in every browser since 2021 (Safari 14.1): both fallbacks are dead glue.
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--omit-default-module-path",
                "--encode-into",
                "always",
            ])
            .args(["--out-name", name, "--out-dir"])
            .arg(&out)
            .arg(&wasm))?;
        let bg = out.join(format!("{name}_bg.wasm"));
        // `core::fmt` that only panic messages point to (see wasm_snip); the names
        // it needs are still in the module here, wasm-opt strips them.
        let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
        let (snipped, count) = wasm_snip::snip_formatting(&read(&bg)?)?;
        std::fs::write(&bg, snipped).map_err(|e| format!("{}: {e}", bg.display()))?;
        println!("xtask: {name}: {count} formatting functions emptied");
        run(Command::new(&tools.wasm_opt)
            .current_dir(root)
            // The target_features section only informs tools (the features are named
            // below); browsers ignore it: -0.1 KB gzip per module.
            .args([
                "-Oz",
                "--converge",
                "--strip-producers",
                "--strip-target-features",
            ])
            .args(WASM_FEATURES)
            .arg(&bg)
            .arg("-o")
            .arg(&bg))?;
        // The glue is an ES module imported by the loader; minify it in place.
        let glue = format!("www/w/{name}.js");
        run(Command::new(&tools.esbuild)
            .current_dir(root)
            .arg(&glue)
            .args([
                "--minify",
                "--format=esm",
                "--target=es2020",
                "--log-level=warning",
                "--allow-overwrite",
            ])
            .arg(format!("--outfile={glue}")))?;
        // Short import and closure names in the binary and the glue (see wasm_names).
        let glue = root.join(&glue);
        let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
        let js = String::from_utf8(read(&glue)?).map_err(|e| format!("glue: {e}"))?;
        let (wasm, js) = wasm_names::shorten(&read(&bg)?, &js)?;
        std::fs::write(&bg, wasm).map_err(|e| format!("{}: {e}", bg.display()))?;
        std::fs::write(&glue, js).map_err(|e| format!("{}: {e}", glue.display()))?;
    }
    run(Command::new(&tools.esbuild).current_dir(root).args([
        "widget/loader.js",
        // One file: the banner's stylesheet goes in as a string.
        "--bundle",
        "--loader:.css=text",
        "--minify",
        "--target=es2019",
        "--log-level=warning",
        "--outfile=www/widget.js",
    ]))?;
    Ok(())
}

/// The WASM features our modules use, for wasm-opt.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

fn build_edge(root: &Path, tools: &Tools) -> Result<(), String> {
    run(Command::new(&tools.worker_build)
        .current_dir(root.join("edge"))
        .arg("--release")
        .env("WASM_BINDGEN_BIN", &tools.wasm_bindgen)
        .env("WASM_OPT_BIN", &tools.wasm_opt)
        .env("ESBUILD_BIN", &tools.esbuild))?;
    // worker-build optimises but keeps the name section (~120 KB raw): strip it,
    // the Worker links by export names only. Upload size and cold start shrink.
    let wasm = root.join("edge/build/index_bg.wasm");
    run(Command::new(&tools.wasm_opt)
        .current_dir(root)
        .args(["--strip-debug", "--strip-producers"])
        .args(WASM_FEATURES)
        .arg(&wasm)
        .arg("-o")
        .arg(&wasm))
}

/// Serves the Worker, the demo shops and the widget with local KV and e-mail.
/// Where `cargo xtask dev` serves the Shopify stand-in for the English demo shop.
const DEV_SHOPIFY_PORT: &str = "8788";

fn dev(root: &Path, tools: &Tools, extra: &[String]) -> Result<(), String> {
    build(root, tools)?;
    let secrets = tools::ensure_dev_vars(root)?;
    print!("{}", dev_banner(&secrets));
    // demo-en's "Prepare answer" asks this stand-in, as the e2e tests do.
    let mut standin = tools
        .node(root)
        .args(["tests/e2e/serve-shopify-standin.mjs", DEV_SHOPIFY_PORT])
        .spawn()
        .map_err(|e| format!("cannot start the Shopify stand-in: {e}"))?;
    let served = run(tools
        .wrangler(root)
        .args([
            "dev",
            "--ip",
            "127.0.0.1",
            "--port",
            "8787",
            "--test-scheduled",
            "--show-interactive-dev-session=false",
            "--var",
            &format!("SHOPIFY_ORIGIN:http://127.0.0.1:{DEV_SHOPIFY_PORT}"),
        ])
        .args(extra));
    let _ = standin.kill();
    let _ = standin.wait();
    served
}

/// What `cargo xtask dev` prints before wrangler's own output: where things are.
/// It names the file that holds the owner secret, never the secret: terminal
/// output ends up in logs, screen shares and bug reports.
fn dev_banner(secrets: &Path) -> String {
    format!(
        "\n  Privacy Desk runs on http://127.0.0.1:8787/\n  \
         demo shops:  http://127.0.0.1:8787/shop/en/   http://127.0.0.1:8787/shop/nl/\n  \
         owner page:  http://127.0.0.1:8787/admin/   (its secret is ADMIN_TOKEN in {})\n  \
         e-mails are written as .eml files; wrangler prints each path below.\n\n",
        secrets.display()
    )
}

/// Every test: host unit tests, wasm-bindgen tests in Chromium, end-to-end tests.
fn test(root: &Path, tools: &Tools, filter: &[String]) -> Result<(), String> {
    let started = Instant::now();
    run(Command::new("cargo")
        .current_dir(root)
        .args(["fmt", "--all", "--", "--check"]))?;
    build(root, tools)?;
    let timer = Instant::now();
    run(Command::new("cargo")
        .current_dir(root)
        .args(["test", "--workspace"]))?;
    let host = timer.elapsed();

    let timer = Instant::now();
    run(Command::new("cargo")
        .current_dir(root)
        .args([
            "test",
            "--package",
            "widget",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .env("CHROMEDRIVER", &tools.chromedriver)
        // The pinned runner, even where ~/.cargo/bin is not on PATH.
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            tools
                .wasm_bindgen
                .with_file_name("wasm-bindgen-test-runner"),
        )
        .env("WASM_BINDGEN_TEST_TIMEOUT", "60"))?;
    let wasm = timer.elapsed();

    let timer = Instant::now();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/e2e"))
        .map_err(|e| format!("tests/e2e: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .filter(|p| {
            filter.is_empty()
                || filter
                    .iter()
                    .any(|f| p.to_string_lossy().contains(f.as_str()))
        })
        .collect();
    files.sort();
    run(tools
        .node(root)
        // Date expectations come from the product's own rules, through this binary.
        .env("PRIVACY_DESK_XTASK", xtask_binary()?)
        .args(["--test", "--test-concurrency=2", "--test-reporter=spec"])
        .args(&files))?;
    let e2e = timer.elapsed();
    println!(
        "xtask: all tests passed in {:.0} s (host {:.0} s, wasm {:.0} s, end-to-end {:.0} s)",
        started.elapsed().as_secs_f64(),
        host.as_secs_f64(),
        wasm.as_secs_f64(),
        e2e.as_secs_f64()
    );
    Ok(())
}

fn xtask_binary() -> Result<PathBuf, String> {
    std::env::current_exe().map_err(|e| format!("cannot find the xtask binary: {e}"))
}

/// The product's calendar (`protocol::date`) for the end-to-end tests, so that an
/// expected date is never computed by a second implementation of the rules.
fn calendar(args: &[String]) -> Result<String, String> {
    use protocol::date;
    let usage = || {
        "usage: cargo xtask calendar due YYYY-MM-DD REPLY_DAYS | add-months|add-days YYYY-MM-DD N"
            .to_owned()
    };
    let [op, day, n] = args else {
        return Err(usage());
    };
    let (year, month, dom) = date::parse_iso(day).ok_or_else(usage)?;
    let day = date::days_from_civil(year, month, dom).ok_or_else(usage)?;
    let n: u32 = n.parse().map_err(|_| usage())?;
    let answer = match op.as_str() {
        "due" => date::due_day(day, n),
        "add-months" => date::add_months(day, n),
        "add-days" => day + i64::from(n),
        _ => return Err(usage()),
    };
    let (year, month, dom) = date::civil_from_days(answer);
    Ok(format!("{year:04}-{month:02}-{dom:02}"))
}

fn size(root: &Path, tools: &Tools) -> Result<(), String> {
    build_widget(root, tools)?;
    run(tools.node(root).arg("tests/bench/size.mjs"))
}

fn bench(root: &Path, tools: &Tools, extra: &[String]) -> Result<(), String> {
    build(root, tools)?;
    // `--coldstart`: the Worker's cold start under wrangler dev instead.
    let (script, extra): (&str, Vec<&String>) = if extra.iter().any(|a| a == "--coldstart") {
        let rest = extra.iter().filter(|a| *a != "--coldstart").collect();
        ("tests/bench/coldstart.mjs", rest)
    } else {
        ("tests/bench/bench.mjs", extra.iter().collect())
    };
    run(tools.node(root).arg(script).args(extra))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_dev_banner_says_where_the_secret_is_not_what_it_is() {
        let dir = std::env::temp_dir().join(format!("pd-banner-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = super::tools::ensure_dev_vars(&dir).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let secret = text
            .lines()
            .find_map(|l| l.strip_prefix("ADMIN_TOKEN="))
            .unwrap();
        let banner = super::dev_banner(&path);
        assert!(banner.contains(&path.display().to_string()), "{banner}");
        for line in text.lines() {
            let value = line.split_once('=').unwrap().1;
            assert!(!banner.contains(value), "{banner}");
        }
        assert!(secret.len() >= 32);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
