"""The benchmark problems of crates/testfunctions, for the Python peers. Keep the two in
step: same names, parameters, functions and optima."""
import math


def shift(i):
    return 1.5 + 0.5 * (i % 3)


def sphere(x):
    return sum((v - shift(i)) ** 2 for i, v in enumerate(x))


def rosenbrock(x):
    return sum(100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2 for i in range(len(x) - 1))


def rastrigin(x):
    z = [v - shift(i) for i, v in enumerate(x)]
    return 10.0 * len(x) + sum(v * v - 10.0 * math.cos(2.0 * math.pi * v) for v in z)


def ackley(x):
    z = [v - shift(i) for i, v in enumerate(x)]
    n = len(z)
    s1 = sum(v * v for v in z) / n
    s2 = sum(math.cos(2.0 * math.pi * v) for v in z) / n
    return -20.0 * math.exp(-0.2 * math.sqrt(s1)) - math.exp(s2) + 20.0 + math.e


def styblinski_tang(x):
    return sum(v ** 4 - 16.0 * v * v + 5.0 * v for v in x) / 2.0


def branin(x):
    a, b, c = 1.0, 5.1 / (4.0 * math.pi ** 2), 5.0 / math.pi
    r, s, t = 6.0, 10.0, 1.0 / (8.0 * math.pi)
    return a * (x[1] - b * x[0] ** 2 + c * x[0] - r) ** 2 + s * (1.0 - t) * math.cos(x[0]) + s


ALPHA = [1.0, 1.2, 3.0, 3.2]
A3 = [[3.0, 10.0, 30.0], [0.1, 10.0, 35.0], [3.0, 10.0, 30.0], [0.1, 10.0, 35.0]]
P3 = [[0.3689, 0.1170, 0.2673], [0.4699, 0.4387, 0.7470], [0.1091, 0.8732, 0.5547], [0.0381, 0.5743, 0.8828]]
A6 = [[10.0, 3.0, 17.0, 3.5, 1.7, 8.0], [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
      [3.0, 3.5, 1.7, 10.0, 17.0, 8.0], [17.0, 8.0, 0.05, 10.0, 0.1, 14.0]]
P6 = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
      [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann(a, p, x):
    return -sum(ALPHA[i] * math.exp(-sum(a[i][j] * (x[j] - p[i][j]) ** 2 for j in range(len(x)))) for i in range(4))


def log_scaled(x):
    return (math.log10(x[0]) + 2.5) ** 2 + (math.log10(x[1]) + 4.0) ** 2


MIXED_COSTS = [1.0, 0.0, 0.5, 2.0]


def mixed(x):
    return (x[0] - 1.5) ** 2 + (math.log10(x[1]) + 3.0) ** 2 + (x[2] - 7.0) ** 2 / 10.0 + MIXED_COSTS[int(x[3])]


def floats(n, low, high):
    return [("float", low, high, False)] * n


# name: (params, function, optimum); params are ("float", low, high, log), ("int", low, high)
# or ("categorical", n); categoricals reach the function as their index.
PROBLEMS = {
    "sphere": (floats(5, -5.0, 5.0), sphere, 0.0),
    "rosenbrock": (floats(5, -2.0, 2.0), rosenbrock, 0.0),
    "rastrigin": (floats(5, -5.12, 5.12), rastrigin, 0.0),
    "ackley": (floats(5, -5.0, 5.0), ackley, 0.0),
    "styblinski_tang": (floats(5, -5.0, 5.0), styblinski_tang, -39.16616570377142 * 5),
    "branin": ([("float", -5.0, 10.0, False), ("float", 0.0, 15.0, False)], branin, 0.397887357729738),
    "hartmann3": (floats(3, 0.0, 1.0), lambda x: hartmann(A3, P3, x), -3.86277978733277),
    "hartmann6": (floats(6, 0.0, 1.0), lambda x: hartmann(A6, P6, x), -3.322368011391339),
    "log_scaled": ([("float", 1e-6, 1.0, True), ("float", 1e-6, 0.1, True)], log_scaled, 0.0),
    "mixed": ([("float", -5.0, 5.0, False), ("float", 1e-5, 1.0, True), ("int", 1, 20), ("categorical", 4)], mixed, 0.0),
}


def zdt_g(x):
    return 1.0 + 9.0 * sum(x[1:]) / (len(x) - 1)


def zdt1(x):
    g = zdt_g(x)
    return [x[0], g * (1.0 - math.sqrt(x[0] / g))]


def zdt2(x):
    g = zdt_g(x)
    return [x[0], g * (1.0 - (x[0] / g) ** 2)]


def zdt3(x):
    g = zdt_g(x)
    r = x[0] / g
    return [x[0], g * (1.0 - math.sqrt(r) - r * math.sin(10.0 * math.pi * x[0]))]


def dtlz2(x):
    g = sum((v - 0.5) ** 2 for v in x[2:])
    a, b = x[0] * math.pi / 2.0, x[1] * math.pi / 2.0
    return [(1.0 + g) * math.cos(a) * math.cos(b), (1.0 + g) * math.cos(a) * math.sin(b), (1.0 + g) * math.sin(a)]


# name: (number of [0, 1] parameters, function, hypervolume reference point)
MO_PROBLEMS = {
    "zdt1": (30, zdt1, [1.1, 11.0]),
    "zdt2": (30, zdt2, [1.1, 11.0]),
    "zdt3": (30, zdt3, [1.1, 11.0]),
    "dtlz2": (12, dtlz2, [3.5, 3.5, 3.5]),
}


# The cost benchmark's problems (crates/testfunctions/src/cost.rs): each gives its
# learning curve, a list of (value, cost so far) per step (one step for most).
def train_sim(x):
    lr, epochs, width, dropout = x[0], int(x[1]), x[2], x[3]
    rate = 0.35 * math.exp(-(math.log10(lr) + 2.0) ** 2 / 0.8)
    floor = 0.02 + 0.5 / math.sqrt(width) + (dropout - 0.2) ** 2
    per_epoch = 0.001 * width / 16.0
    return [(floor + (1.0 - floor) * math.exp(-rate * e), 0.02 + per_epoch * e) for e in range(1, epochs + 1)]


def branin_cost(x):
    return [(branin(x), 1.0 + 9.0 * ((x[0] + 5.0) / 15.0) ** 2)]


def hartmann3_cost(x):
    return [(hartmann(A3, P3, x), 1.0 + 9.0 * x[0])]


def sphere_epochs(x):
    return [(sphere(x[:3]) + 2.0 / x[3], x[3])]


def rosenbrock_size(x):
    size = int(x[2])
    return [(rosenbrock(x[:2]) + [1.0, 0.3, 0.0][size], [1.0, 3.0, 9.0][size])]


# name: (params, curve, optimum, budget)
COST_PROBLEMS = {
    "train_sim": ([("float", 1e-4, 1.0, True), ("int", 1, 20), ("int", 16, 256), ("float", 0.0, 0.5, False)],
                  train_sim, 0.05125 + (1.0 - 0.05125) * 0.0009118819655545162, 4.0),
    "branin_cost": ([("float", -5.0, 10.0, False), ("float", 0.0, 15.0, False)], branin_cost, 0.397887357729738, 150.0),
    "hartmann3_cost": (floats(3, 0.0, 1.0), hartmann3_cost, -3.8627797873327605, 200.0),
    "sphere_epochs": (floats(3, -5.0, 5.0) + [("int", 1, 16)], sphere_epochs, 0.125, 300.0),
    "rosenbrock_size": (floats(2, -2.0, 2.0) + [("categorical", 3)], rosenbrock_size, 0.0, 150.0),
}
