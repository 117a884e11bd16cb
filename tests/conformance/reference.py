"""The reference side of the conformance harness: each case through google-api-python-client.

Reads a suite (JSON: {"document": path, "cases": [{"id", "resource", "method", "args", "body", "media"}]})
and prints one JSON line per case: the HttpRequest the client builds (method, uri, content-type,
body), never sent, or the error it raised.
"""
import json
import sys

from googleapiclient.discovery import build_from_document, fix_method_name, key2param
from googleapiclient.http import HttpMock, MediaInMemoryUpload


def without_patterns(node):
    # `pattern` is the reference client's input validation (it refuses values the stress strings
    # are made of), not wire encoding: drop it so both clients send the same values.
    if isinstance(node, dict):
        return {k: without_patterns(v) for k, v in node.items() if k != "pattern" or not isinstance(v, str)}
    if isinstance(node, list):
        return [without_patterns(v) for v in node]
    return node


def request_of(service, case):
    target = service
    for resource in case["resource"]:
        target = getattr(target, fix_method_name(resource))()
    media = case.get("media") or {}
    # A download is the method's `<name>_media` twin, which sets alt=media.
    name = fix_method_name(case["method"]) + ("_media" if media.get("download") else "")
    method = getattr(target, name)
    kwargs = {key2param(name): value for name, value in case["args"].items()}
    # An upload with empty metadata is discogen's media-only upload (its typed builders always
    # take a body; `{}` says "no metadata"): the reference says it without a body.
    if case["body"] is not None and not ("upload" in media and case["body"] == {}):
        kwargs["body"] = case["body"]
    if "upload" in media:
        # Not resumable: one request, multipart with a body, uploadType=media without.
        kwargs["media_body"] = MediaInMemoryUpload(media["upload"].encode(), mimetype=media["content_type"])
    return method(**kwargs)


def main():
    suite = json.load(open(sys.argv[1], encoding="utf-8"))
    with open(suite["document"], encoding="utf-8") as document:
        discovery = without_patterns(json.load(document))
    service = build_from_document(discovery, http=HttpMock(None, {"status": "200"}))
    for case in suite["cases"]:
        if case["shadowed"]:
            print(json.dumps({"id": case["id"], "unreachable": "a sub-resource of the same name shadows the method"}))
            continue
        try:
            request = request_of(service, case)
            line = {
                "id": case["id"],
                "method": request.method,
                "uri": request.uri,
                "content_type": request.headers.get("content-type"),
                "body": request.body if isinstance(request.body, str) or request.body is None else request.body.decode(),
            }
        except Exception as error:  # one refused case is a finding, not the end of the run
            line = {"id": case["id"], "error": f"{type(error).__name__}: {error}"}
        print(json.dumps(line, ensure_ascii=False))


main()
