//! `arcgis-portal-emulator`: serves the local portal on 127.0.0.1.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use arcgis_portal_emulator::seed::Seed;
use arcgis_portal_emulator::{Config, Emulator, serve};

const USAGE: &str = "\
arcgis-portal-emulator: a local ArcGIS portal for API key management

USAGE: arcgis-portal-emulator [OPTIONS]

OPTIONS:
  --port N        port to listen on (default 8787; 0 picks a free one)
  --host ADDR     address to bind (default 127.0.0.1; anything else exposes demo accounts)
  --seed FILE     seed JSON (default: the built-in demo seed)
  --state FILE    load state from FILE and save every change to it
  --site DIR      serve DIR's static files at /
  --strict-csp    send the standalone manager's strict Content-Security-Policy with them
  --control       enable the test control surface under /__emulator/; each call needs
                  the x-emulator-control header with this run's token
  -h, --help      show this help

The control token is ARCGIS_EMULATOR_CONTROL_TOKEN when set (a test harness chooses its
own; an environment variable shows neither in `ps` nor in a log). Otherwise a random one
is made and printed as the second line, for the person who started the emulator.

The first line printed is `listening on http://HOST:PORT`.";

struct Args {
    addr: SocketAddr,
    config: Config,
}

fn parse_args() -> Result<Args, String> {
    let mut host: IpAddr = Ipv4Addr::LOCALHOST.into();
    let mut port: u16 = 8787;
    let mut config = Config::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => port = value("--port")?.parse().map_err(|e| format!("--port: {e}"))?,
            "--host" => host = value("--host")?.parse().map_err(|e| format!("--host: {e}"))?,
            "--seed" => {
                let path = value("--seed")?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("--seed {path}: {e}"))?;
                config.seed = Seed::parse(&text)?;
            }
            "--state" => config.state_file = Some(PathBuf::from(value("--state")?)),
            "--site" => config.site_dir = Some(PathBuf::from(value("--site")?)),
            "--control" => config.control = true,
            "--strict-csp" => config.strict_csp = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}\n\n{USAGE}")),
        }
    }
    if config.control {
        config.control_token = std::env::var("ARCGIS_EMULATOR_CONTROL_TOKEN").ok().filter(|t| !t.is_empty());
    }
    Ok(Args { addr: SocketAddr::new(host, port), config })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("arcgis-portal-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    // Printed only when made here: a token the caller chose, the caller knows.
    let made_here = args.config.control && args.config.control_token.is_none();
    let emulator = match Emulator::new(args.config) {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("arcgis-portal-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("arcgis-portal-emulator: cannot listen on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().expect("a bound listener has an address");
    println!("listening on http://{addr}");
    if let Some(token) = emulator.control_token().filter(|_| made_here) {
        println!("control token: {token}");
    }
    match serve(listener, emulator, shutdown_signal()).await {
        Ok(()) => {
            eprintln!("arcgis-portal-emulator: stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("arcgis-portal-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
