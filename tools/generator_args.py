"""The command line the network generators share (make_bg_humphries.py,
make_conditioning_critic.py, make_gonogo.py): key=value overrides of a
script's parameter dict, each converted to the type of its default: a size
stays whole, a number stays a number, and a parameter whose default is a
string (b = "tonic") takes a number or a string."""

import sys


def overrides(defaults, args):
    """(parameters, the other arguments): `defaults` with every key=value of
    `args` applied; an unknown key ends the script naming the known ones."""
    p, rest = dict(defaults), []
    for a in args:
        if "=" not in a:
            rest.append(a)
            continue
        k, v = a.split("=", 1)
        if k not in p:
            sys.exit(f"unknown parameter {k}; known: {', '.join(p)}")
        p[k] = convert(v, p[k])
    return p, rest


def convert(text, default):
    """`text` as the type of `default`."""
    if isinstance(default, bool):
        return text.lower() in ("1", "true")
    if isinstance(default, str):
        try:
            return float(text)
        except ValueError:
            return text
    return type(default)(text)
