#!/usr/bin/env python3
"""Write deploy/nginx.conf.template with one web node's values filled in.

    scripts/nginx_conf.py --listen 0.0.0.0:80 --upstream 127.0.0.1:8080 \
        --runtime-dir /run/portal-nginx --load-balancer 10.0.0.0/16 --output /etc/nginx/portal.conf
    nginx -c /etc/nginx/portal.conf

The tests render it the same way (tests/support/production_server.py).
"""

import argparse
import ipaddress
import re
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf.template"
_ADDRESS = re.compile(r"^[\w.\[\]:-]+:\d+$")


def address(value: str) -> str:
    if not _ADDRESS.match(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not HOST:PORT")
    return value


def network(value: str) -> str:
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not an address or network") from error


def render(*, listen: str, upstream: str, runtime_dir: Path, load_balancer: str) -> str:
    """Fill in the template's ${name} placeholders; nginx's own $variables stay as they are."""
    values = {
        "listen": listen,
        "upstream": upstream,
        "runtime_dir": str(runtime_dir),
        "load_balancer": load_balancer,
    }

    def fill(match: re.Match[str]) -> str:
        return values[match.group(1)]  # a KeyError names a placeholder nobody fills

    return _PLACEHOLDER.sub(fill, TEMPLATE.read_text())


_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", type=address, required=True, help="where nginx listens")
    parser.add_argument("--upstream", type=address, required=True, help="gunicorn's bind")
    parser.add_argument("--runtime-dir", type=Path, required=True, help="pid and temp files")
    parser.add_argument(
        "--load-balancer", type=network, required=True, help="the load balancers' network"
    )
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    args.output.write_text(
        render(
            listen=args.listen,
            upstream=args.upstream,
            runtime_dir=args.runtime_dir,
            load_balancer=args.load_balancer,
        )
    )


if __name__ == "__main__":
    main()
