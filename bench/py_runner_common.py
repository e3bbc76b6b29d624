"""What the Python runners of bench/ share."""


def suggest(t, i, p):
    """Suggests parameter `x{i}` of kind `p` (see functions.PROBLEMS) on Optuna's or
    rustuna's trial `t`; categoricals come back as their index."""
    name = f"x{i}"
    if p[0] == "float":
        return t.suggest_float(name, p[1], p[2], log=p[3])
    if p[0] == "int":
        return t.suggest_int(name, p[1], p[2])
    return int(t.suggest_categorical(name, [f"c{k}" for k in range(p[1])])[1:])
