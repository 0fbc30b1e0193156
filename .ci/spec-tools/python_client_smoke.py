"""A Python user of the client that openapi-python-client generates from spec/drs-v3.yaml.

Run by .ci/spec-products once the generated package is installed: it imports the package, a model
and an operation module, builds the request of 4.1.1 (batch creation of jobs) from the reference's
example and checks the HTTP request it would send, then decodes every body example of the spec into
its model and encodes it back. Nothing is sent anywhere.

usage: python python_client_smoke.py spec/drs-v3.json
"""

import json
import sys
from typing import NamedTuple

import huaweicloud_drs_client
from huaweicloud_drs_client import models
from huaweicloud_drs_client.api.jobs import batch_create_jobs
from huaweicloud_drs_client.models import BatchCreateJobsRequest


class Example(NamedTuple):
    operation: str
    where: str  # "request" or a status code
    name: str
    schema: str
    value: object


def body_examples(document):
    """Every JSON body example of the spec, with the operation and the schema it belongs to."""
    for item in document["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            bodies = [("request", operation.get("requestBody", {}))]
            bodies += [(status, response) for status, response in operation["responses"].items()]
            for where, body in bodies:
                media = body.get("content", {}).get("application/json")
                if media is None:
                    continue
                schema = media["schema"]["$ref"].rsplit("/", 1)[-1]
                for name, example in media.get("examples", {}).items():
                    yield Example(operation["operationId"], where, name, schema, example["value"])


def main(spec_path):
    with open(spec_path, encoding="utf-8") as file:
        document = json.load(file)
    schemas = document["components"]["schemas"]
    problems = []

    # The request of 4.1.1 as the generated operation module would send it.
    creation = next(
        example
        for example in body_examples(document)
        if (example.operation, example.where) == ("batch_create_jobs", "request")
    )
    body = BatchCreateJobsRequest.from_dict(creation.value)
    sent = batch_create_jobs._get_kwargs("054ba152d480d55b2f5dc0069e7ddef0", body=body)
    expected = {
        "method": "post",
        "url": "/v3/054ba152d480d55b2f5dc0069e7ddef0/jobs/batch-creation",
        "json": creation.value,
    }
    for key, value in expected.items():
        if sent.get(key) != value:
            problems.append(f"batch_create_jobs request: {key} is {sent.get(key)!r}, not {value!r}")

    # Every body example decodes into its model and encodes back to the same JSON.
    checked = 0
    for example in body_examples(document):
        at = f"{example.operation} {example.where} example `{example.name}` ({example.schema})"
        model = getattr(models, example.schema, None)
        if model is None:
            # Only a string body has no model: the operation returns the string itself.
            if schemas[example.schema].get("type") != "string" or not isinstance(
                example.value, str
            ):
                problems.append(f"{at}: no generated model")
            else:
                checked += 1
            continue
        try:
            encoded = model.from_dict(example.value).to_dict()
        except Exception as error:  # every failure is reported with its example
            problems.append(f"{at}: does not decode: {error!r}")
            continue
        if encoded != example.value:
            problems.append(f"{at}: encodes back as {json.dumps(encoded)[:300]}")
        else:
            checked += 1

    package = huaweicloud_drs_client.__name__
    print(
        f"{package}: {len(models.__all__)} models; {checked} body examples decode and encode back"
    )
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
