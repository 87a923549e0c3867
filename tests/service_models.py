"""What mlaudit reads from AWS's answers, held against botocore's service models: the fields the collectors read
(found in their source) and the members of raw answers (the demo's), so that a botocore too old to know a field
fails a test instead of dropping the field (botocore's parser keeps only the members its model has).

The collectors are read by a small abstract interpreter over their syntax trees. It follows where each value comes
from: the answer of `ctx.call(OPERATION)` or `ctx.pages(OPERATION)`, the items of `ctx.paginate(OPERATION, "Key")`,
the describe or list answer a pattern gives its builder, and any field of those, through assignments, loops over
literal tuples, comprehensions, `x or {}`, `dig(...)`, containers the code fills and calls of the collectors' own
functions (evaluated once per call site, so that arguments passed together stay together). Every string key read
from such a value (`.get("X")`, `["X"]`, `dig(d, "A", "B")`, a `Listed`, `items` or `keys` declaration) is a
`Read`: on the answer of a known operation it is checked along its whole path from that operation's output shape;
read from a value of unknown origin (a parameter nobody visibly passes an answer to), it is a path that must exist
somewhere below the output shapes of its module's operations. What is not an answer (records, identities, strings,
documents parsed out of a string field) is not followed.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from types import FunctionType, ModuleType
from typing import Any

from mlaudit.collect.engine.answers import dig, first
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import DescribeNamed, ListOnly, ListPerRecord, ListThenDescribe, ListThenSearch
from mlaudit.collect.engine.search import SEARCH, record_path
from mlaudit.collect.engine.service_model import operation_model
from mlaudit.collect.engine.spec import PartCollector

ANY = "*"
"""A key standing for every member of a structure (what `.values()` and `.items()` give)."""

Key = str | re.Pattern[str]
"""A member's name, or a pattern for an f-string whose parts are not all known (`f"{kind}JobInput"`)."""


@dataclass(frozen=True)
class Path:
    """A place in an AWS answer: `keys` read from the answer of `root` (None: of unknown origin)."""

    root: Operation | None
    keys: tuple[Key, ...] = ()

    def __truediv__(self, key: Key) -> Path:
        return Path(self.root, (*self.keys, key))

    def __str__(self) -> str:
        keys = ".".join(key if isinstance(key, str) else key.pattern for key in self.keys)
        return f"{self.root} {keys}" if self.root else f"(any answer) {keys}"


UNKNOWN = Path(None)
"""A value that may be an answer, or any part of one."""


@dataclass(frozen=True)
class Text:
    """A string the code knows (a constant, a module's constant, an f-string)."""

    value: Key


@dataclass(frozen=True)
class Seq:
    """A literal tuple or list, or a module's tuple of strings: a loop over it runs once per item."""

    items: tuple[frozenset[Any], ...]


@dataclass(frozen=True)
class Many:
    """A container the code fills (a comprehension, a dict it writes to): its items or values are `values`."""

    values: frozenset[Any]


@dataclass(frozen=True)
class Entries:
    """A dict literal with string keys."""

    items: tuple[tuple[str, frozenset[Any]], ...]


@dataclass(frozen=True)
class Op:
    operation: Operation


FunctionKey = tuple[str, str]
"""A collector function: its module and `__qualname__`."""


@dataclass(frozen=True)
class Function:
    """A collector function, to bind its parameters where it is called."""

    key: FunctionKey


Values = frozenset[Any]
NOTHING: Values = frozenset()
Env = dict[str, Values]
Binding = tuple[tuple[str, Values], ...]
"""The values one call site passes, by parameter name."""


@dataclass(frozen=True)
class Read:
    """A field read: where in the source (or which declaration), in which module, and its path."""

    where: str
    module: str
    path: Path

    def __str__(self) -> str:
        return f"{self.where}: {self.path}"


PASS_THROUGH = frozenset({list, tuple, sorted, iter, reversed, set, frozenset, next, first})
"""Calls whose result is (an item of) their arguments."""
ANSWER_TYPE = re.compile(r"\bAny\b")
"""A parameter (or a function's result) typed with `Any` (answers are `dict[str, Any]`), but a Callable, may hold an
answer; an unannotated parameter (a lambda's) too."""
STORES = frozenset({"setdefault", "append", "add"})
"""Methods that put their last argument into the container they are called on."""


def _union(values: Sequence[Values] | Iterator[Values]) -> Values:
    return frozenset().union(*values)


def _qualnames(tree: ast.Module) -> Iterator[tuple[str, ast.FunctionDef]]:
    """Every function definition of a module with its `__qualname__` (lambdas have none worth having)."""

    def visit(body: list[ast.stmt], prefix: str) -> Iterator[tuple[str, ast.FunctionDef]]:
        for node in body:
            if isinstance(node, ast.FunctionDef):
                yield prefix + node.name, node
                yield from visit(node.body, f"{prefix}{node.name}.<locals>.")
            elif isinstance(node, ast.ClassDef):
                yield from visit(node.body, f"{prefix}{node.name}.")
            else:
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, ast.stmt):
                        yield from visit([child], prefix)

    return visit(tree.body, "")


def _may_be_answer(annotation: ast.expr | None) -> bool:
    if annotation is None:
        return True
    text = ast.unparse(annotation)
    return bool(ANSWER_TYPE.search(text)) and "Callable" not in text


def _parameters(node: ast.FunctionDef | ast.Lambda) -> list[ast.arg]:
    return [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]


@dataclass
class _Frame:
    """What one evaluation of a function gives back: its return values, or the values it yields."""

    returns: list[Values] = field(default_factory=list)
    yields: list[Values] = field(default_factory=list)

    @property
    def result(self) -> Values:
        return frozenset({Many(_union(self.yields))}) if self.yields else _union(self.returns)


class FieldWalk:
    """The fields the given collector modules read, and the operations each module declares.

    Each pass evaluates every module with the call sites (and the return values at each) that the previous pass
    found, starting from the answers the patterns give their functions; the walk is done when a pass finds what
    the one before it found. Its reads are then those of functions evaluated with every argument that reaches them.
    """

    def __init__(self, modules: Sequence[ModuleType]) -> None:
        self.modules = {module.__name__: module for module in modules}
        self.trees = {name: ast.parse(inspect.getsource(module)) for name, module in self.modules.items()}
        self.functions = {
            (name, qualname): node for name, tree in self.trees.items() for qualname, node in _qualnames(tree)
        }
        self.operations: dict[str, set[Operation]] = defaultdict(set)
        self.declared: set[Read] = set()
        self.seeds: dict[FunctionKey, set[Binding]] = defaultdict(set)
        for name, module in self.modules.items():
            for collector in module.COLLECTORS:
                self.operations[name].update(collector.operations)
                self._declare(name, collector)
        self.known_bindings: dict[FunctionKey, set[Binding]] = {}
        self.known_results: dict[tuple[FunctionKey, Binding], Values] = {}
        for _ in range(20):
            self.bindings = defaultdict(set, {key: set(seeds) for key, seeds in self.seeds.items()})
            self.results: dict[tuple[FunctionKey, Binding], Values] = {}
            self.reads = set(self.declared)
            for name in self.modules:
                _Interpreter(self, name).module()
            if self.bindings == self.known_bindings and self.results == self.known_results:
                return
            self.known_bindings, self.known_results = dict(self.bindings), self.results
        raise AssertionError("the field walk did not settle")

    def _seed(self, function: Callable[..., Any], index: int, path: Path) -> None:
        """A pattern gives `function`'s parameter `index` an answer."""
        parameter = function.__code__.co_varnames[index]
        self.seeds[(function.__module__, function.__qualname__)].add(((parameter, frozenset({path})),))

    def _declare(self, module: str, collector: PartCollector) -> None:
        """The summary fields a pattern declares it reads, and the answers it gives its functions."""
        pattern = collector.collect
        where = f"{collector.part} (declaration)"
        if isinstance(pattern, ListThenDescribe | ListOnly | ListPerRecord | ListThenSearch):
            summary = Path(pattern.list, (pattern.items,))
            self.declared.add(Read(where, module, summary))
        if isinstance(pattern, ListThenSearch):
            for key in (pattern.listed.id, pattern.listed.name, pattern.listed.arn):
                if key:
                    self.declared.add(Read(where, module, summary / key))
            resource = collector.record.search_resource or ""
            self._seed(pattern.build, 1, Path(SEARCH, ("Results", *record_path(resource))))
            self._seed(pattern.build, 1, Path(pattern.describe))
        elif isinstance(pattern, ListThenDescribe | ListOnly):
            keys = getattr(pattern, "keys", {}).values()
            for key in (pattern.listed.id, pattern.listed.name, pattern.listed.arn, *keys):
                if key:
                    self.declared.add(Read(where, module, summary / key))
            self._seed(pattern.build, 1, Path(pattern.describe) if isinstance(pattern, ListThenDescribe) else summary)
        elif isinstance(pattern, ListPerRecord):
            self._seed(pattern.identify, 2, summary)
            self._seed(pattern.build, 1, Path(pattern.describe) if pattern.describe else summary)
        elif isinstance(pattern, DescribeNamed):
            self._seed(pattern.build, 1, Path(pattern.describe))

    def missing(self) -> list[Read]:
        """The reads the service models do not know, each only at its shortest unknown path."""
        unknown = sorted((read for read in self.reads if not self._known(read)), key=str)
        shortest = {(read.module, read.path) for read in unknown}
        return [
            read
            for read in unknown
            if not any(
                (read.module, Path(read.path.root, read.path.keys[:n])) in shortest for n in range(len(read.path.keys))
            )
        ]

    def _known(self, read: Read) -> bool:
        if read.path.root is not None:
            return reaches(operation_model(read.path.root).output_shape, read.path.keys)
        anchors = [shape for op in self.operations[read.module] for shape in shapes_below(op)]
        return any(reaches(anchor, read.path.keys) for anchor in anchors)


class _Interpreter:
    """One pass over one module: evaluates its statements and functions, adding reads and call sites."""

    def __init__(self, walk: FieldWalk, module: str) -> None:
        self.walk = walk
        self.name = module
        self.globals = vars(walk.modules[module])
        self.frames: list[_Frame] = [_Frame()]

    def module(self) -> None:
        env: Env = {}
        for node in self.walk.trees[self.name].body:
            if isinstance(node, ast.FunctionDef):
                self.function(node, node.name, {})
            elif isinstance(node, ast.ClassDef):
                for method in node.body:
                    if isinstance(method, ast.FunctionDef):
                        self.function(method, f"{node.name}.{method.name}", {})
            else:
                self.statement(node, env, "", [])

    # functions

    def function(self, node: ast.FunctionDef, qualname: str, closure: Env) -> None:
        """Evaluated once per call site seen (once with no argument known if none is)."""
        key = (self.name, qualname)
        for binding in self.walk.known_bindings.get(key) or self.walk.seeds.get(key) or {()}:
            env = dict(closure)
            given = dict(binding)
            for parameter in _parameters(node):
                env[parameter.arg] = given.get(parameter.arg) or self.default(parameter)
            nested: list[ast.FunctionDef] = []
            self.frames.append(_Frame())
            self.block(node.body, env, qualname, nested)
            self.walk.results[(key, binding)] = self.frames.pop().result
            for inner in nested:
                self.function(inner, f"{qualname}.<locals>.{inner.name}", env)

    def lambda_(self, node: ast.Lambda, env: Env, first_argument: Values = NOTHING) -> Values:
        inner = dict(env)
        for index, parameter in enumerate(_parameters(node)):
            inner[parameter.arg] = (first_argument if index == 0 else NOTHING) or self.default(parameter)
        return self.expr(node.body, inner)

    @staticmethod
    def default(parameter: ast.arg) -> Values:
        if parameter.arg in ("self", "cls"):
            return NOTHING
        return frozenset({UNKNOWN}) if _may_be_answer(parameter.annotation) else NOTHING

    def call_function(self, key: FunctionKey, args: list[Values], kwargs: dict[str, Values]) -> Values:
        """A call of a collector function: a call site of its, and what the last pass found it returns there."""
        node = self.walk.functions.get(key)
        if node is None:
            return NOTHING
        names = [parameter.arg for parameter in _parameters(node)]
        given = {**dict(zip(names, args, strict=False)), **{k: v for k, v in kwargs.items() if k in names}}
        binding = tuple(sorted((k, v) for k, v in given.items() if v))
        self.walk.bindings[key].add(binding)
        if (key, binding) in self.walk.known_results:
            return self.walk.known_results[(key, binding)]
        return frozenset({UNKNOWN}) if node.returns is not None and _may_be_answer(node.returns) else NOTHING

    # statements

    def block(self, body: list[ast.stmt], env: Env, qualname: str, nested: list[ast.FunctionDef]) -> None:
        for node in body:
            self.statement(node, env, qualname, nested)

    def statement(self, node: ast.stmt, env: Env, qualname: str, nested: list[ast.FunctionDef]) -> None:
        match node:
            case ast.FunctionDef():
                env[node.name] = frozenset({Function((self.name, f"{qualname}.<locals>.{node.name}"))})
                nested.append(node)
            case ast.Assign():
                value = self.expr(node.value, env)
                for target in node.targets:
                    self.assign(target, value, env)
            case ast.AnnAssign(value=ast.expr() as value):
                self.assign(node.target, self.expr(value, env), env)
            case ast.AugAssign():
                self.assign(node.target, self.expr(node.value, env) | self.expr(node.target, env), env)
            case ast.Return(value=ast.expr() as value):
                self.frames[-1].returns.append(self.expr(value, env))
            case ast.For():
                self.loop(node, env, qualname, nested)
            case ast.If() | ast.While():
                self.expr(node.test, env)
                self.block(node.body, env, qualname, nested)
                self.block(node.orelse, env, qualname, nested)
            case ast.Try():
                for part in (node.body, *(handler.body for handler in node.handlers), node.orelse, node.finalbody):
                    self.block(part, env, qualname, nested)
            case ast.With():
                for item in node.items:
                    self.expr(item.context_expr, env)
                self.block(node.body, env, qualname, nested)
            case ast.ClassDef() | ast.Import() | ast.ImportFrom():
                pass
            case _:
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, ast.expr):
                        self.expr(child, env)

    def loop(self, node: ast.For, env: Env, qualname: str, nested: list[ast.FunctionDef]) -> None:
        """The body once per alternative of what the loop runs over; what it binds is seen after the loop."""
        for alternative in self.alternatives(self.expr(node.iter, env)):
            inner = dict(env)
            self.bind(node.target, alternative, inner)
            self.block(node.body, inner, qualname, nested)
            for name, values in inner.items():
                env[name] = env.get(name, NOTHING) | values
        self.block(node.orelse, env, qualname, nested)

    def assign(self, target: ast.expr, value: Values, env: Env) -> None:
        if isinstance(target, ast.Subscript):
            self.expr(target.slice, env)
            self.put(target.value, value, env)
        elif isinstance(target, ast.Attribute):
            self.expr(target.value, env)
        else:
            self.bind(target, value, env)

    def put(self, container: ast.expr, value: Values, env: Env) -> None:
        """`container[k] = value`, `container.append(value)`...: the container now holds `value`."""
        if isinstance(container, ast.Name):
            env[container.id] = env.get(container.id, NOTHING) | {Many(value)}
        else:
            self.expr(container, env)

    def bind(self, target: ast.expr, value: Values, env: Env) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = value
        elif isinstance(target, ast.Tuple | ast.List):
            width = len(target.elts)
            for index, element in enumerate(target.elts):
                part = {item for v in value if isinstance(v, Seq) and len(v.items) == width for item in v.items[index]}
                part |= {UNKNOWN for v in value if isinstance(v, Path)}
                self.bind(element, frozenset(part), env)

    def alternatives(self, iterable: Values) -> list[Values]:
        """What a loop over `iterable` binds, one alternative per run of its body (at least one run)."""
        runs = [item for value in iterable if isinstance(value, Seq) for item in value.items]
        merged = {v for value in iterable if isinstance(value, Many) for v in value.values}
        merged |= {value for value in iterable if isinstance(value, Path)}
        merged |= {Text(key) for value in iterable if isinstance(value, Entries) for key, _ in value.items}
        return [*runs, frozenset(merged)] if merged or not runs else runs

    # expressions

    def expr(self, node: ast.expr, env: Env) -> Values:
        match node:
            case ast.Constant(value=str() as text):
                return frozenset({Text(text)})
            case ast.Name():
                return env[node.id] if node.id in env else self.constant(self.globals.get(node.id))
            case ast.JoinedStr():
                return self.fstring(node, env)
            case ast.Subscript():
                return self.subscript(node, env)
            case ast.Call():
                return self.call(node, env)
            case ast.BoolOp():
                return _union([self.expr(value, env) for value in node.values])
            case ast.IfExp():
                self.expr(node.test, env)
                return self.expr(node.body, env) | self.expr(node.orelse, env)
            case ast.Tuple() | ast.List():
                return frozenset({Seq(tuple(self.expr(element, env) for element in node.elts))})
            case ast.Dict():
                return self.dict_(node, env)
            case ast.ListComp() | ast.SetComp() | ast.GeneratorExp():
                return frozenset({Many(self.comprehension(node.generators, [node.elt], env))})
            case ast.DictComp():
                self.comprehension(node.generators, [node.key], env)
                return frozenset({Many(self.comprehension(node.generators, [node.value], env))})
            case ast.NamedExpr():
                value = env[node.target.id] = self.expr(node.value, env)
                return value
            case ast.Lambda():
                self.lambda_(node, env)
                return NOTHING
            case ast.Yield() | ast.YieldFrom():
                value = self.expr(node.value, env) if node.value else NOTHING
                self.frames[-1].yields.append(
                    value if isinstance(node, ast.Yield) else _union(self.alternatives(value))
                )
                return NOTHING
            case ast.Starred():
                return self.expr(node.value, env)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child, env)
        return NOTHING

    def constant(self, value: Any) -> Values:
        """What a module-level name holds, as far as reading answers goes."""
        if isinstance(value, str):
            return frozenset({Text(value)})
        if isinstance(value, tuple | list | frozenset) and value and all(isinstance(v, str) for v in value):
            items = value if not isinstance(value, frozenset) else sorted(value)
            return frozenset({Seq(tuple(frozenset({Text(v)}) for v in items))})
        if isinstance(value, Operation):
            return frozenset({Op(value)})
        if isinstance(value, FunctionType) and value.__module__ in self.walk.modules:
            return frozenset({Function((value.__module__, value.__qualname__))})
        return NOTHING

    def fstring(self, node: ast.JoinedStr, env: Env) -> Values:
        """Every string the f-string can be, or one pattern when a part is unknown."""
        choices: list[list[str]] = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                choices.append([str(part.value)])
            else:
                assert isinstance(part, ast.FormattedValue)
                values = self.expr(part.value, env)
                choices.append([v.value for v in values if isinstance(v, Text) and isinstance(v.value, str)])
        if all(choices):
            return frozenset(Text("".join(parts)) for parts in itertools.product(*choices))
        regex = "".join(
            re.escape(c[0]) if isinstance(p, ast.Constant) else ".+" for p, c in zip(node.values, choices, strict=True)
        )
        return frozenset({Text(re.compile(regex))})

    def dict_(self, node: ast.Dict, env: Env) -> Values:
        for key in node.keys:
            if key is not None:
                self.expr(key, env)
        values = [self.expr(value, env) for value in node.values]
        keys = [key.value for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)]
        if len(keys) == len(node.keys):
            return frozenset({Entries(tuple(zip(keys, values, strict=True)))})
        return frozenset({Many(_union(values))})

    def comprehension(self, generators: list[ast.comprehension], results: list[ast.expr], env: Env) -> Values:
        if not generators:
            return _union([self.expr(result, env) for result in results])
        found: list[Values] = []
        for alternative in self.alternatives(self.expr(generators[0].iter, env)):
            inner = dict(env)
            self.bind(generators[0].target, alternative, inner)
            for condition in generators[0].ifs:
                self.expr(condition, inner)
            found.append(self.comprehension(generators[1:], results, inner))
        return _union(found)

    def read(self, base: Values, keys: Values, node: ast.AST) -> Values:
        """`base[key]` or `base.get(key)`: a read of each answer in `base` when the key is a name the code knows
        (a key that is itself data, such as a resource's name, is a lookup in a dict the code built)."""
        names = [key.value for key in keys if isinstance(key, Text)] if all(isinstance(k, Text) for k in keys) else []
        found: set[Any] = set()
        for value in base:
            if isinstance(value, Path):
                for name in names:
                    path = value / name
                    self.walk.reads.add(Read(f"{self.name.rsplit('.', 1)[-1]}.py:{node.lineno}", self.name, path))
                    found.add(path)
            elif isinstance(value, Many):
                found |= value.values
            elif isinstance(value, Entries):
                found |= {v for key, values in value.items if key in names for v in values}
        return frozenset(found)

    def subscript(self, node: ast.Subscript, env: Env) -> Values:
        base = self.expr(node.value, env)
        index = self.expr(node.slice, env)
        if not (isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int)):
            return self.read(base, index, node)
        position = node.slice.value
        found = {
            v
            for s in base
            if isinstance(s, Seq) and -len(s.items) <= position < len(s.items)
            for v in s.items[position]
        }
        found |= {v for v in base if isinstance(v, Path)} | {v for m in base if isinstance(m, Many) for v in m.values}
        return frozenset(found)

    def call(self, node: ast.Call, env: Env) -> Values:
        fan_out = isinstance(node.func, ast.Attribute) and node.func.attr == "fan_out"
        # the lambdas fan_out calls are evaluated with their items (see `fan_out`)
        args = [NOTHING if fan_out and isinstance(arg, ast.Lambda) else self.expr(arg, env) for arg in node.args]
        kwargs = {
            k.arg: NOTHING if fan_out and isinstance(k.value, ast.Lambda) else self.expr(k.value, env)
            for k in node.keywords
            if k.arg
        }
        for spread in (k.value for k in node.keywords if not k.arg):
            self.expr(spread, env)
        if isinstance(node.func, ast.Attribute):
            return self.method(node, self.expr(node.func.value, env), args, env)
        if isinstance(node.func, ast.Name) and node.func.id not in env:
            callee = self.globals.get(node.func.id, getattr(builtins, node.func.id, None))
            if callee is dig:
                found = args[0]
                for key in args[1:]:
                    found = self.read(found, key, node)
                return found
            if callee in PASS_THROUGH:
                return _union(args)
            if callee is Operation:
                return frozenset(
                    Op(Operation(v.value)) for v in args[0] if isinstance(v, Text) and isinstance(v.value, str)
                )
        callees = self.expr(node.func, env)
        return _union([self.call_function(f.key, args, kwargs) for f in callees if isinstance(f, Function)])

    def method(self, node: ast.Call, base: Values, args: list[Values], env: Env) -> Values:
        """The methods that read answers (dicts' and the collector context's), and those that fill containers."""
        assert isinstance(node.func, ast.Attribute)
        name = node.func.attr
        answers = frozenset(Path(v.operation) for v in args[0] if isinstance(v, Op)) if args else NOTHING
        if name == "get" and args:
            return self.read(base, args[0], node) | (args[1] if len(args) > 1 else NOTHING)
        if name in ("items", "values"):
            return frozenset({Many(frozenset(self._items(base) if name == "items" else self._values(base)))})
        if name in ("call", "pages") and args:
            return answers or frozenset({UNKNOWN})
        if name == "paginate" and len(args) > 1:
            return self.read(answers or frozenset({UNKNOWN}), args[1], node)
        if name == "fan_out" and args:
            return self.fan_out(node, _union(self.alternatives(args[0])), env)
        if name == "shared":
            return frozenset({UNKNOWN})
        if name in STORES and args:
            self.put(node.func.value, args[-1], env)
            return args[-1]
        if name in ("extend", "update") and args:
            self.put(node.func.value, _union(self.alternatives(args[0])), env)
        return NOTHING

    def fan_out(self, node: ast.Call, items: Values, env: Env) -> Values:
        """`ctx.fan_out(items, describe, identify)`: both functions are called with each item; gives what describe
        returns."""
        functions = [*node.args[1:3], *(k.value for k in node.keywords if k.arg == "identify")]
        results = [self.call_with(function, items, env) for function in functions]
        return frozenset({Many(results[0] if results else NOTHING)})

    def call_with(self, function: ast.expr, argument: Values, env: Env) -> Values:
        """What calling `function` (a lambda, or a name of a collector function) with one argument gives."""
        if isinstance(function, ast.Lambda):
            return self.lambda_(function, env, argument)
        callees = [callee for callee in self.expr(function, env) if isinstance(callee, Function)]
        return _union([self.call_function(callee.key, [argument], {}) for callee in callees])

    @staticmethod
    def _items(base: Values) -> Iterator[Seq]:
        for value in base:
            if isinstance(value, Path):
                yield Seq((NOTHING, frozenset({value / ANY})))
            elif isinstance(value, Many):
                yield Seq((NOTHING, value.values))
            elif isinstance(value, Entries):
                yield from (Seq((frozenset({Text(key)}), values)) for key, values in value.items)

    @staticmethod
    def _values(base: Values) -> Iterator[Any]:
        for value in base:
            if isinstance(value, Path):
                yield value / ANY
            elif isinstance(value, Many):
                yield from value.values
            elif isinstance(value, Entries):
                yield from (v for _, values in value.items for v in values)


# botocore's shapes


def _is_document(shape: Any) -> bool:
    return bool(getattr(shape, "is_document_type", False) or shape.metadata.get("document"))


def _follow(shape: Any, key: Key) -> list[Any] | None:
    """The shapes `key` reaches from `shape` (a list is looked through, a map takes any key); None: anything goes
    (a document)."""
    while shape.type_name == "list":
        shape = shape.member
    if _is_document(shape):
        return None
    if shape.type_name == "map":
        return [shape.value]
    if shape.type_name != "structure":
        return []
    members = shape.members
    if key == ANY:
        return list(members.values())
    if isinstance(key, re.Pattern):
        return [member for name, member in members.items() if key.fullmatch(name)]
    return [members[key]] if key in members else []


def reaches(shape: Any, keys: tuple[Key, ...]) -> bool:
    """Whether `keys`, read one after the other from a value of `shape`, are members the model knows."""
    shapes = [shape]
    for key in keys:
        followed = [_follow(s, key) for s in shapes]
        if any(found is None for found in followed):
            return True
        shapes = [s for found in followed if found for s in found]
        if not shapes:
            return False
    return True


def shapes_below(operation: Operation) -> list[Any]:
    """The output shape of an operation and every shape below it."""
    found: dict[str, Any] = {}
    pending = [operation_model(operation).output_shape]
    while pending:
        shape = pending.pop()
        if shape is None or shape.name in found:
            continue
        found[shape.name] = shape
        if shape.type_name == "structure" and not _is_document(shape):
            pending.extend(shape.members.values())
        elif shape.type_name == "list":
            pending.append(shape.member)
        elif shape.type_name == "map":
            pending.append(shape.value)
    return list(found.values())


BODY_LOCATIONS = frozenset({None, ""})
"""Members carried in the body (not in headers or the status code)."""


def unknown_members(shape: Any, value: Any, path: str = "") -> Iterator[str]:
    """Where a raw answer (decoded JSON) holds what `shape` does not: a member it lacks, or a value of another kind."""
    if shape.type_name == "structure" and _is_document(shape):
        return
    if shape.type_name == "structure":
        if not isinstance(value, dict):
            yield f"{path or '(answer)'}: {type(value).__name__}, not a structure"
            return
        members = {
            member.serialization.get("name", name): member
            for name, member in shape.members.items()
            if member.serialization.get("location") in BODY_LOCATIONS
        }
        for key, item in sorted(value.items()):
            where = f"{path}.{key}" if path else key
            if key not in members:
                yield where
            elif item is not None:
                yield from unknown_members(members[key], item, where)
    elif shape.type_name == "list":
        if not isinstance(value, list):
            yield f"{path}: {type(value).__name__}, not a list"
            return
        for item in value:
            yield from unknown_members(shape.member, item, f"{path}[]")
    elif shape.type_name == "map" and isinstance(value, dict):
        for item in value.values():
            yield from unknown_members(shape.value, item, f"{path}{{}}")


def protocol(service: Any) -> str:
    """The protocol a client of this botocore speaks to the service (botocore picks one of the model's protocols
    since 1.39; older releases know one)."""
    return str(getattr(service, "resolved_protocol", None) or service.protocol)


def decode(service: Any, body: bytes) -> Any:
    """A raw answer's body as data, in the protocol the client spoke: JSON or CBOR; None for XML, not walked."""
    if not body:
        return None
    spoken = protocol(service)
    if spoken == "smithy-rpc-v2-cbor":
        from botocore.parsers import RpcV2CBORParser  # only botocore releases that speak CBOR get CBOR answers

        parser = RpcV2CBORParser()
        return parser.parse_data_item(parser.get_peekable_stream_from_bytes(body))
    return json.loads(body) if spoken in ("json", "rest-json") else None


def unknown_in_answer(operation: Any, body: Any) -> Iterator[str]:
    """Where a raw answer's body holds what the operation's model does not (its output shape, or the member the
    model says is the payload)."""
    shape = operation.output_shape
    if shape is None:
        if body:
            yield "(answer): the model has no output"
        return
    payload = shape.serialization.get("payload")
    yield from unknown_members(shape.members[payload] if payload else shape, body)
