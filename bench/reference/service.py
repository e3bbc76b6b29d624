"""The load benchmark's reference, the usual Python way to share a study over HTTP: a
small FastAPI + Optuna ask/tell service with edgetune's routes and fields for create,
suggest and complete, persisting to Optuna's RDB storage.

    STORAGE_URL=sqlite:///bench.db uvicorn service:app --workers 2

Each request loads the study from storage, as a multi-worker deployment must: the
workers share nothing but the database. The sampler is Optuna's default TPE.
"""
import json
import os

import optuna
from fastapi import FastAPI, HTTPException
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from pydantic import BaseModel

optuna.logging.set_verbosity(optuna.logging.ERROR)
storage = optuna.storages.RDBStorage(
    os.environ.get("STORAGE_URL", "sqlite:///reference.db"),
    engine_kwargs={"pool_pre_ping": True},
)
app = FastAPI(title="reference tuner")


class Param(BaseModel):
    name: str
    type: str
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: list | None = None


class CreateStudy(BaseModel):
    study_name: str
    search_space: list[Param]
    direction: str = "minimize"
    seed: int | None = None


class Complete(BaseModel):
    value: float


def distribution(p: Param):
    if p.type == "float":
        return FloatDistribution(p.low, p.high, log=p.log)
    if p.type == "int":
        return IntDistribution(int(p.low), int(p.high), log=p.log)
    return CategoricalDistribution(p.choices)


def load(name: str):
    try:
        # Unseeded: one seed in every worker would repeat the same draws.
        return optuna.load_study(study_name=name, storage=storage, sampler=optuna.samplers.TPESampler())
    except KeyError:
        raise HTTPException(404, f"study {name!r} not found")


@app.get("/api/v1/health")
def health():
    return {"status": "ok"}


@app.post("/api/v1/studies", status_code=201)
def create(body: CreateStudy):
    try:
        study = optuna.create_study(study_name=body.study_name, storage=storage, direction=body.direction)
    except optuna.exceptions.DuplicatedStudyError:
        raise HTTPException(409, f"study {body.study_name!r} exists")
    study.set_user_attr("search_space", [p.model_dump() for p in body.search_space])
    return {"study_name": body.study_name}


@app.post("/api/v1/studies/{name}/trials/suggest")
def suggest(name: str):
    study = load(name)
    space = {p["name"]: distribution(Param(**p)) for p in study.user_attrs["search_space"]}
    trial = study.ask(space)
    return {"trial_number": trial.number, "params": trial.params}


@app.post("/api/v1/studies/{name}/trials/{number}/complete")
def complete(name: str, number: int, body: Complete):
    study = load(name)
    try:
        study.tell(number, body.value)
    except (ValueError, RuntimeError) as e:
        raise HTTPException(409, str(e))
    return {"trial_number": number, "state": "COMPLETE"}
