"""Checks Till's OpenAPI description; run by OpenAPITests (Swift) through ChildProcess.

    python3 check_openapi.py SPEC.yaml [EXCHANGES.json]

Prints one JSON object on stdout:
  operations  every documented [METHOD, path]
  examples    how many examples were validated against their schemas
  exchanges   how many recorded live answers were validated
  errors      what is wrong (empty when all is well)

Checks: the document is OpenAPI 3.1 (and passes openapi-spec-validator when that is installed); every
JSON answer has at least one example and every example (responses, request bodies, parameters, schema
`example`s) validates against its schema; every error answer is application/problem+json; every route
behind the bearer scheme documents 401. With EXCHANGES (a JSON list of {method, path, status,
contentType, body} recorded from the running server, `path` being the documented template), each
answer must be a documented status and media type of a documented operation, and its body must
validate. Only PyYAML and jsonschema-rs are needed: both come with schemathesis.
"""

import json
import sys
from urllib.parse import quote

import jsonschema_rs
import yaml

BASE = "urn:till:openapi"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
JSON_TYPES = ("application/json", "application/problem+json")


def pointer(*parts):
    """A URI fragment for a JSON pointer: `~` and `/` escaped, then `{` and the like percent-encoded."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "#/" + "/".join(quote(p, safe="~!$&'()*+,;=:@") for p in escaped)


class Checker:
    def __init__(self, spec):
        self.spec = spec
        self.registry = jsonschema_rs.Registry([(BASE, spec)])
        self.errors = []
        self.examples = 0
        self.exchanges = 0

    def resolve(self, node):
        """Follows a local `$ref` (components/examples, responses, parameters)."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 16:
            target = self.spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
        return node

    def validator(self, location):
        """A validator for the schema at `location` (a JSON pointer into the document)."""
        return jsonschema_rs.Draft202012Validator(
            {"$ref": BASE + location}, registry=self.registry, validate_formats=True
        )

    def validate(self, location, value, what):
        try:
            problems = [f"{e.message} at {list(e.instance_path)}" for e in self.validator(location).iter_errors(value)]
        except Exception as error:  # an unresolvable $ref or a broken schema
            problems = [f"schema at {location} unusable: {error}"]
        for problem in problems:
            self.errors.append(f"{what}: {problem}")
        return not problems

    def example_values(self, media):
        """Every example of a media type or parameter object, with its name."""
        found = []
        if "example" in media:
            found.append(("example", media["example"]))
        for name, example in (media.get("examples") or {}).items():
            example = self.resolve(example)
            if "value" not in example:
                self.errors.append(f"example {name} has no value")
                continue
            found.append((name, example["value"]))
        return found

    def check_document(self):
        version = str(self.spec.get("openapi", ""))
        if not version.startswith("3.1"):
            self.errors.append(f"openapi is {version!r}, not 3.1.x")
        try:
            from openapi_spec_validator import validate
        except ImportError:
            validate = None
        if validate is not None:
            try:
                validate(self.spec)
            except Exception as error:
                self.errors.append(f"openapi-spec-validator: {str(error).splitlines()[0]}")

    def operations(self):
        for path, item in (self.spec.get("paths") or {}).items():
            for method in METHODS:
                if method in item:
                    yield path, method, item, item[method]

    def check_operation(self, path, method, item, operation):
        label = f"{method.upper()} {path}"
        base = ("paths", path, method)
        secured = operation.get("security", self.spec.get("security")) != []
        responses = operation.get("responses") or {}
        if secured and "401" not in responses:
            self.errors.append(f"{label}: needs a token but does not document 401")
        parameters = [(("paths", path, "parameters", i), p) for i, p in enumerate(item.get("parameters") or [])]
        parameters += [(base + ("parameters", i), p) for i, p in enumerate(operation.get("parameters") or [])]
        for location, parameter in parameters:
            if "$ref" in parameter:
                location = tuple(parameter["$ref"].lstrip("#/").split("/"))
                parameter = self.resolve(parameter)
            for name, value in self.example_values(parameter):
                self.examples += 1
                self.validate(pointer(*location, "schema"), value, f"{label} parameter {parameter['name']} {name}")
        body = operation.get("requestBody")
        if body is not None:
            for status in ("400", "413"):
                if status not in responses:
                    self.errors.append(f"{label}: reads a body but does not document {status}")
            for media_type, media in (body.get("content") or {}).items():
                for name, value in self.example_values(media):
                    self.examples += 1
                    location = pointer(*base, "requestBody", "content", media_type, "schema")
                    self.validate(location, value, f"{label} request {name}")
        for status, response in responses.items():
            location = base + ("responses", status)
            if "$ref" in response:
                location = tuple(response["$ref"].lstrip("#/").split("/"))
                response = self.resolve(response)
            content = response.get("content") or {}
            if str(status)[0] in "45" and list(content) != ["application/problem+json"]:
                self.errors.append(f"{label} {status}: an error must be application/problem+json only")
            for media_type, media in content.items():
                if "schema" not in media:
                    self.errors.append(f"{label} {status} {media_type}: no schema")
                    continue
                values = self.example_values(media)
                if media_type in JSON_TYPES and not values:
                    self.errors.append(f"{label} {status} {media_type}: no example")
                for name, value in values:
                    self.examples += 1
                    schema = pointer(*location, "content", media_type, "schema")
                    self.validate(schema, value, f"{label} {status} example {name}")

    def check_component_examples(self):
        for name, schema in ((self.spec.get("components") or {}).get("schemas") or {}).items():
            if "example" in schema:
                self.examples += 1
                self.validate(pointer("components", "schemas", name), schema["example"], f"schema {name} example")

    def check_exchange(self, exchange):
        method, path, status = exchange["method"].lower(), exchange["path"], str(exchange["status"])
        label = f"live {method.upper()} {path} {status}"
        operation = ((self.spec.get("paths") or {}).get(path) or {}).get(method)
        if operation is None:
            self.errors.append(f"{label}: no such operation in the description")
            return
        responses = operation.get("responses") or {}
        key = status if status in responses else (status[0] + "XX" if status[0] + "XX" in responses else None)
        key = key or ("default" if "default" in responses else None)
        if key is None:
            self.errors.append(f"{label}: status not documented")
            return
        location = ("paths", path, method, "responses", key)
        response = responses[key]
        if "$ref" in response:
            location = tuple(response["$ref"].lstrip("#/").split("/"))
            response = self.resolve(response)
        media_type = (exchange.get("contentType") or "").split(";")[0].strip()
        content = response.get("content") or {}
        if not content and not media_type and not exchange.get("body"):
            # A response documented without content (204) answered with none.
            self.exchanges += 1
            return
        if media_type not in content:
            self.errors.append(f"{label}: content type {media_type!r} not documented (has {list(content)})")
            return
        self.exchanges += 1
        if media_type in JSON_TYPES:
            try:
                body = json.loads(exchange["body"])
            except ValueError as error:
                self.errors.append(f"{label}: body is not JSON: {error}")
                return
            self.validate(pointer(*location, "content", media_type, "schema"), body, label)


def main(arguments):
    if len(arguments) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    with open(arguments[1], encoding="utf-8") as file:
        spec = yaml.safe_load(file)
    checker = Checker(spec)
    checker.check_document()
    operations = []
    for path, method, item, operation in checker.operations():
        operations.append([method.upper(), path])
        checker.check_operation(path, method, item, operation)
    checker.check_component_examples()
    if len(arguments) == 3:
        with open(arguments[2], encoding="utf-8") as file:
            for exchange in json.load(file):
                checker.check_exchange(exchange)
    print(json.dumps({
        "operations": operations, "examples": checker.examples, "exchanges": checker.exchanges,
        "errors": checker.errors,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
