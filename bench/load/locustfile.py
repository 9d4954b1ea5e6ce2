"""Locust users for bench/load/run.py: only ever against 127.0.0.1 (run.py refuses any other host).

Each user holds an API token (from PEACEOPS_BENCH_TOKENS, JSON {role: token}) and mixes reads and writes the way
an operations room does: analysts list incidents, returns officers list households (an audited read: every list
page appends to the audit chain), monitors file incidents (a write), and a static file as the server's floor.
FastHttpUser (geventhttpclient) rather than HttpUser (requests): the clients share the server's two cores, and
the cheaper client leaves more of them to the server being measured."""

from __future__ import annotations

import json
import os
import random
import uuid

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

TOKENS = json.loads(os.environ.get("PEACEOPS_BENCH_TOKENS", "{}"))
MARK = os.environ.get("PEACEOPS_BENCH_MARK", "bench")
SOURCE = int(os.environ.get("PEACEOPS_BENCH_SOURCE", "1"))


class OperationsRoom(FastHttpUser):
    wait_time = between(0.2, 0.8)

    def _auth(self, role: str) -> dict:
        return {"Authorization": f"Token {TOKENS[role]}"}

    @task(2)
    def static_baseline(self):
        self.client.get("/static/peaceops/peaceops.css", name="baseline: static file")

    @task(4)
    def incident_list(self):
        self.client.get("/api/ceasefire/incidents/", headers=self._auth("analyst"),
                        name="read: incident list (API)")

    @task(4)
    def households_list(self):
        self.client.get(f"/api/returns/households/?page={random.randint(1, 20)}",
                        headers=self._auth("returns_officer"), name="read: households list, audited (API)")

    @task(2)
    def returned_as_of(self):
        self.client.get("/api/returns/returned-as-of/?as_of=2020-11-21", headers=self._auth("coordinator"),
                        name="read: returned as of (API)")

    @task(2)
    def file_incident(self):
        body = {"occurred_from": "2020-11-20T10:00:00+04:00", "incident_type": "shelling", "sub_type": "artillery",
                "place_name": "Hadrut", "notes": f"{MARK} {uuid.uuid4().hex}",
                "sources_in": [{"source": SOURCE, "summary": "Seen from the post"}]}
        with self.client.post("/api/ceasefire/incidents/", json=body, headers=self._auth("monitor"),
                              name="write: file an incident (API)", catch_response=True) as response:
            if response.status_code == 201:
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
