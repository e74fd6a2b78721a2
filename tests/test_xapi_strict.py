"""xAPI 1.0.3 Data section (IEEE 9274.1.1): statements an LRS must refuse and statements it must keep, each written
from the specification's text and naming the rule it checks (xAPI-Data.md section). Pure unit tests of
data_access/xapi/validate.py; a few go through the endpoint and the import to check that a refusal changes nothing
(tests/test_xapi_endpoint.py covers the request rules)."""

from __future__ import annotations

import copy

import pytest

from data_access.xapi.statement import problems
from data_access.xapi.validate import check

SID = "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"
SID2 = "2b3c4d5e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"
ACTOR = {"objectType": "Agent", "name": "Ada", "mbox": "mailto:ada@example.com"}
VERB = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}
ACT = {"objectType": "Activity", "id": "http://example.com/activities/course-1",
       "definition": {"name": {"en-US": "Course 1"}, "type": "http://adlnet.gov/expapi/activities/course"}}
BASE = {"id": SID, "actor": ACTOR, "verb": VERB, "object": ACT, "timestamp": "2026-06-01T10:00:00.000Z"}
GROUP = {"objectType": "Group", "name": "Team", "member": [
    {"mbox": "mailto:a@example.com"}, {"account": {"homePage": "http://lms.example.com", "name": "b"}}]}
SUB = {"objectType": "SubStatement", "actor": ACTOR, "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
       "object": {"id": "http://example.com/meetings/1"}}
CHOICE = {"interactionType": "choice", "correctResponsesPattern": ["a"],
          "choices": [{"id": "a", "description": {"en-US": "A"}}, {"id": "b", "description": {"en-US": "B"}}]}


def _set(st: dict, path: str, value) -> dict:
    """A copy of st with the value at a dotted path (list indexes as numbers) set, or removed when value is DROP."""
    st = copy.deepcopy(st)
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    node = st
    for k in keys[:-1]:
        node = node[k]
    if value is DROP:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return st


DROP = object()


def st(**changes) -> dict:
    """BASE with changes given as path=value, dots written as '__'."""
    out = BASE
    for path, value in changes.items():
        out = _set(out, path.replace("__", "."), value)
    return out


# (rule, statement, the path the refusal names)
INVALID = [
    # 2.2 Formatting requirements
    ("2.2 a Statement MUST use actor", st(actor=DROP), ""),
    ("2.2 a Statement MUST use verb", st(verb=DROP), ""),
    ("2.2 a Statement MUST use object", st(object=DROP), ""),
    ("2.2 null values are refused (actor)", st(actor=None), "actor"),
    ("2.2 null values are refused (timestamp)", st(timestamp=None), "timestamp"),
    ("2.2 null values are refused (verb.display)", st(verb__display=None), "verb.display"),
    ("2.2 null values are refused (result.success)", st(result={"success": None}), "result.success"),
    ("2.2 null values are refused (context.platform)", st(context={"platform": None}), "context.platform"),
    ("2.2 null values are refused (definition.name)", st(object__definition__name=None), "object.definition.name"),
    ("2.2 null values are refused (language map value)", st(verb__display={"en-US": None}), "verb.display.en-US"),
    ("2.2 key case must match: Actor", {**{k: v for k, v in BASE.items() if k != "actor"}, "Actor": ACTOR}, "Actor"),
    ("2.2 key case must match: Verb.ID", st(verb={"ID": VERB["id"]}), "verb.ID"),
    ("2.2 key case must match: objecttype", st(object={"objecttype": "Activity", "id": ACT["id"]}),
     "object.objecttype"),
    ("2.2 key not allowed at the statement", st(extra=1), "extra"),
    ("2.2 key not allowed on an Agent", st(actor={**ACTOR, "email": "ada@example.com"}), "actor.email"),
    ("2.2 key not allowed on a Verb", st(verb={**VERB, "name": "x"}), "verb.name"),
    ("2.2 key not allowed on an Activity", st(object={**ACT, "name": "x"}), "object.name"),
    ("2.2 key not allowed on a definition", st(object__definition__title={"en-US": "x"}), "object.definition.title"),
    ("2.2 key not allowed on a result", st(result={"grade": "A"}), "result.grade"),
    ("2.2 key not allowed on a score", st(result={"score": {"percent": 5}}), "result.score.percent"),
    ("2.2 key not allowed on a context", st(context={"course": "x"}), "context.course"),
    ("2.2 key not allowed on an account", st(actor={"account": {"homePage": "http://x.com", "name": "a", "id": 1}}),
     "actor.account.id"),
    ("2.2 enumerated values must match exactly: objectType 'agent'", st(actor={**ACTOR, "objectType": "agent"}),
     "actor.objectType"),
    ("2.2 enumerated values must match exactly: interactionType 'Choice'",
     st(object__definition={**CHOICE, "interactionType": "Choice"}), "object.definition.interactionType"),
    ("2.2 strings where booleans are required", st(result={"success": "true"}), "result.success"),
    ("2.2 numbers where booleans are required", st(result={"completion": 1}), "result.completion"),
    ("2.2 strings where numbers are required", st(result={"score": {"raw": "5"}}), "result.score.raw"),
    ("2.2 booleans where numbers are required", st(result={"score": {"scaled": True}}), "result.score.scaled"),
    ("2.2 a number where a string is required: result.response", st(result={"response": 42}), "result.response"),
    ("2.2 an empty string where an IRI is required", st(verb={"id": ""}), "verb.id"),
    ("2.2 IRIs must have a scheme: verb id", st(verb={"id": "completed"}), "verb.id"),
    ("2.2 IRIs must have a scheme: ab=c://", st(verb={"id": "ab=c://should.fail.com"}), "verb.id"),
    ("2.2 IRIs must have a scheme: activity id", st(object__id="example.com/course"), "object.id"),
    ("2.2 IRIs hold no spaces", st(object__id="http://example.com/a course"), "object.id"),
    ("2.2 the statement must be a JSON object", [BASE], ""),
    # 2.4.1 id
    ("2.4.1 id is a UUID", st(id="not-a-uuid"), "id"),
    ("2.4.1 id is a UUID in its standard string form (no braces)", st(id="{" + SID + "}"), "id"),
    ("2.4.1 id is a string", st(id=12345), "id"),
    ("2.4.1 id UUID with too few digits", st(id=SID[:-1]), "id"),
    # 2.4.2 Actor / Agent
    ("2.4.2.1 an Agent has exactly one IFI: mbox and openid",
     st(actor={**ACTOR, "openid": "http://openid.example.com/ada"}), "actor"),
    ("2.4.2.1 an Agent has exactly one IFI: mbox and account",
     st(actor={**ACTOR, "account": {"homePage": "http://x.com", "name": "ada"}}), "actor"),
    ("2.4.2.1 an Agent has exactly one IFI: none", st(actor={"name": "Ada"}), "actor"),
    ("2.4.2.1 an Agent has exactly one IFI: mbox and mbox_sha1sum",
     st(actor={"mbox": "mailto:a@x.com", "mbox_sha1sum": "a" * 40}), "actor"),
    ("2.4.2.3 mbox is a mailto IRI", st(actor={"mbox": "ada@example.com"}), "actor.mbox"),
    ("2.4.2.3 mbox is a mailto IRI with an address", st(actor={"mbox": "mailto:ada"}), "actor.mbox"),
    ("2.4.2.3 mbox is a string", st(actor={"mbox": ["mailto:a@x.com"]}), "actor.mbox"),
    ("2.4.2.3 mbox_sha1sum is a hex SHA-1", st(actor={"mbox_sha1sum": "not-a-sha1"}), "actor.mbox_sha1sum"),
    ("2.4.2.3 mbox_sha1sum has 40 digits", st(actor={"mbox_sha1sum": "a" * 39}), "actor.mbox_sha1sum"),
    ("2.4.2.3 openid is a URI", st(actor={"openid": "ada"}), "actor.openid"),
    ("2.4.2.4 account needs homePage", st(actor={"account": {"name": "ada"}}), "actor.account"),
    ("2.4.2.4 account needs name", st(actor={"account": {"homePage": "http://lms.example.com"}}), "actor.account"),
    ("2.4.2.4 account homePage is an IRL", st(actor={"account": {"homePage": "lms.example.com", "name": "a"}}),
     "actor.account.homePage"),
    ("2.4.2.4 account name is a string", st(actor={"account": {"homePage": "http://x.com", "name": 5}}),
     "actor.account.name"),
    ("2.4.2.4 account is an object", st(actor={"account": "http://x.com/ada"}), "actor.account"),
    ("2.4.2.1 Agent name is a string", st(actor={**ACTOR, "name": ["Ada"]}), "actor.name"),
    ("2.4.2.1 actor objectType is Agent or Group", st(actor={**ACTOR, "objectType": "Person"}), "actor.objectType"),
    ("2.4.2.2 an anonymous Group lists its members", st(actor={"objectType": "Group", "name": "G"}), "actor"),
    ("2.4.2.2 an anonymous Group has at least one member", st(actor={"objectType": "Group", "member": []}),
     "actor.member"),
    ("2.4.2.2 member is an array", st(actor={"objectType": "Group", "member": ACTOR}), "actor.member"),
    ("2.4.2.2 an anonymous Group holds no Group", st(actor={"objectType": "Group", "member": [GROUP]}),
     "actor.member[0]"),
    ("2.4.2.2 an identified Group holds no Group",
     st(actor={"objectType": "Group", "mbox": "mailto:g@x.com", "member": [GROUP]}), "actor.member[0]"),
    ("2.4.2.2 an identified Group has exactly one IFI",
     st(actor={"objectType": "Group", "mbox": "mailto:g@x.com", "openid": "http://g.example.com"}), "actor"),
    ("2.4.2.2 a Group's members follow the Agent rules (two IFIs)",
     st(actor={"objectType": "Group", "member": [{"mbox": "mailto:a@x.com", "openid": "http://a.x.com"}]}),
     "actor.member[0]"),
    ("2.4.2.2 a Group's members follow the Agent rules (no IFI)",
     st(actor={"objectType": "Group", "member": [{"name": "nobody"}]}), "actor.member[0]"),
    ("2.4.2.2 a Group's members follow the Agent rules (bad mbox)",
     st(actor={"objectType": "Group", "member": [{"mbox": "a@x.com"}]}), "actor.member[0].mbox"),
    ("2.4.2 actor is an object", st(actor="mailto:ada@example.com"), "actor"),
    # 2.4.3 Verb
    ("2.4.3 a Verb needs an id", st(verb={"display": {"en-US": "did"}}), "verb"),
    ("2.4.3 verb display is a language map, not a string", st(verb={**VERB, "display": "attended"}),
     "verb.display"),
    ("2.4.3 verb display keys are RFC 5646 tags", st(verb={**VERB, "display": {"e": "x"}}),
     "verb.display.e"),
    ("2.4.3 verb display keys are RFC 5646 tags (underscore)", st(verb={**VERB, "display": {"en_US": "x"}}),
     "verb.display.en_US"),
    ("2.4.3 verb is an object", st(verb="http://adlnet.gov/expapi/verbs/completed"), "verb"),
    # 2.4.4 Object: Activity
    ("2.4.4.1 Activity objectType is 'Activity'", st(object={**ACT, "objectType": "activity"}), "object.objectType"),
    ("2.4.4.1 object objectType is one the specification defines", st(object={**ACT, "objectType": "Course"}),
     "object.objectType"),
    ("2.4.4.1 definition name is a language map", st(object__definition__name="Course 1"),
     "object.definition.name"),
    ("2.4.4.1 definition description is a language map", st(object__definition__description=["x"]),
     "object.definition.description"),
    ("2.4.4.1 definition type is an IRI", st(object__definition__type="course"), "object.definition.type"),
    ("2.4.4.1 definition moreInfo is an IRL", st(object__definition__moreInfo="www.example.com"),
     "object.definition.moreInfo"),
    ("2.4.4.1 definition is an object", st(object__definition="course"), "object.definition"),
    ("2.4.4.1 interactionType is one of the ten", st(object__definition={"interactionType": "essay"}),
     "object.definition.interactionType"),
    ("2.4.4.1 choices only with an interactionType",
     st(object__definition={"choices": [{"id": "a", "description": {"en-US": "A"}}]}), "object.definition.choices"),
    ("2.4.4.1 correctResponsesPattern only with an interactionType",
     st(object__definition={"correctResponsesPattern": ["a"]}), "object.definition.correctResponsesPattern"),
    ("2.4.4.1 correctResponsesPattern is an array of strings",
     st(object__definition={**CHOICE, "correctResponsesPattern": "a"}), "object.definition.correctResponsesPattern"),
    ("2.4.4.1 a likert interaction has scale, not choices", st(object__definition={**CHOICE, "interactionType":
                                                                                    "likert"}),
     "object.definition.choices"),
    ("2.4.4.1 a true-false interaction has no choices", st(object__definition={**CHOICE, "interactionType":
                                                                                "true-false"}),
     "object.definition.choices"),
    ("2.4.4.1 interaction component ids are distinct",
     st(object__definition={"interactionType": "choice", "choices": [{"id": "a"}, {"id": "a"}]}),
     "object.definition.choices[1].id"),
    ("2.4.4.1 an interaction component needs an id",
     st(object__definition={"interactionType": "choice", "choices": [{"description": {"en-US": "A"}}]}),
     "object.definition.choices[0]"),
    ("2.4.4.1 interaction component description is a language map",
     st(object__definition={"interactionType": "likert", "scale": [{"id": "1", "description": "one"}]}),
     "object.definition.scale[0].description"),
    ("2.4.4.1 interaction components are an array",
     st(object__definition={"interactionType": "performance", "steps": {"id": "1"}}), "object.definition.steps"),
    ("2.4.4.1 matching source components need ids",
     st(object__definition={"interactionType": "matching", "source": [{"id": 1}]}),
     "object.definition.source[0].id"),
    ("5.3 extensions keys are IRIs (definition)", st(object__definition__extensions={"level": 3}),
     "object.definition.extensions.level"),
    ("5.3 extensions is an object", st(result={"extensions": ["x"]}), "result.extensions"),
    ("2.4.4.1 Activity id is a string", st(object__id=7), "object.id"),
    # 2.4.4.2 Agents as object
    ("2.4.4.2 an Agent object follows the Agent rules", st(object={"objectType": "Agent", "name": "x"}), "object"),
    ("2.4.4.2 a Group object follows the Group rules", st(object={"objectType": "Group"}), "object"),
    # 2.4.4.3 StatementRef
    ("2.4.4.3 a StatementRef's id is a UUID", st(object={"objectType": "StatementRef", "id": "abc"}), "object.id"),
    ("2.4.4.3 a StatementRef needs an id", st(object={"objectType": "StatementRef"}), "object"),
    ("2.4.4.3 a StatementRef has only objectType and id",
     st(object={"objectType": "StatementRef", "id": SID2, "definition": {}}), "object.definition"),
    ("2.3.2 a voiding statement's object is a StatementRef",
     st(verb={"id": "http://adlnet.gov/expapi/verbs/voided"}), "object"),
    # 2.4.4.4 SubStatement
    ("2.4.4.4 a SubStatement has no id", st(object={**SUB, "id": SID2}), "object.id"),
    ("2.4.4.4 a SubStatement has no stored", st(object={**SUB, "stored": "2026-06-01T10:00:00Z"}), "object.stored"),
    ("2.4.4.4 a SubStatement has no version", st(object={**SUB, "version": "1.0.0"}), "object.version"),
    ("2.4.4.4 a SubStatement has no authority", st(object={**SUB, "authority": ACTOR}), "object.authority"),
    ("2.4.4.4 a SubStatement contains no SubStatement", st(object={**SUB, "object": SUB}), "object.object"),
    ("2.4.4.4 a SubStatement is validated as a Statement (actor IFIs)",
     st(object={**SUB, "actor": {**ACTOR, "openid": "http://x.example.com"}}), "object.actor"),
    ("2.4.4.4 a SubStatement is validated as a Statement (score raw above max)",
     st(object={**SUB, "result": {"score": {"raw": 110, "max": 100}}}), "object.result.score.raw"),
    ("2.4.4.4 a SubStatement is validated as a Statement (missing verb)",
     st(object={k: v for k, v in SUB.items() if k != "verb"}), "object"),
    ("2.4.4.4 a SubStatement is validated as a Statement (bad timestamp)",
     st(object={**SUB, "timestamp": "yesterday"}), "object.timestamp"),
    ("2.4.4.4 a SubStatement's context is validated",
     st(object={**SUB, "context": {"instructor": {"name": "nobody"}}}), "object.context.instructor"),
    # 2.4.5 Result
    ("2.4.5.1 scaled is between -1 and 1", st(result={"score": {"scaled": 1.5}}), "result.score.scaled"),
    ("2.4.5.1 scaled is between -1 and 1 (below)", st(result={"score": {"scaled": -1.01}}), "result.score.scaled"),
    ("2.4.5.1 raw is not above max", st(result={"score": {"raw": 110, "min": 0, "max": 100}}), "result.score.raw"),
    ("2.4.5.1 raw is not below min", st(result={"score": {"raw": -1, "min": 0, "max": 100}}), "result.score.raw"),
    ("2.4.5.1 min is not above max", st(result={"score": {"min": 10, "max": 5}}), "result.score"),
    ("2.4.5.1 score is an object", st(result={"score": 50}), "result.score"),
    ("2.4.5 duration is an ISO 8601 duration", st(result={"duration": "1 hour"}), "result.duration"),
    ("4.6 duration: weeks do not combine with other components (P4W1D)", st(result={"duration": "P4W1D"}),
     "result.duration"),
    ("4.6 duration: the alternative format is not used (P0003-04-06)", st(result={"duration": "P0003-04-06T12:30:05"}),
     "result.duration"),
    ("4.6 duration: T needs a component after it", st(result={"duration": "P1DT"}), "result.duration"),
    ("4.6 duration: a fraction only on the smallest component", st(result={"duration": "PT1.5H30M"}),
     "result.duration"),
    ("4.6 duration: lowercase designators are not ISO 8601", st(result={"duration": "pt1h"}), "result.duration"),
    ("2.4.5 result is an object", st(result="passed"), "result"),
    # 2.4.6 Context
    ("2.4.6 registration is a UUID", st(context={"registration": "abc"}), "context.registration"),
    ("2.4.6 instructor follows the Agent rules (two IFIs)",
     st(context={"instructor": {"mbox": "mailto:i@x.com", "openid": "http://i.example.com"}}), "context.instructor"),
    ("2.4.6 instructor follows the Agent rules (bad mbox_sha1sum)",
     st(context={"instructor": {"mbox_sha1sum": "xyz"}}), "context.instructor.mbox_sha1sum"),
    ("2.4.6 team is a Group", st(context={"team": ACTOR}), "context.team"),
    ("2.4.6 team follows the Group rules", st(context={"team": {"objectType": "Group"}}), "context.team"),
    ("2.4.6 team members are Agents", st(context={"team": {"objectType": "Group", "member": [{"name": "x"}]}}),
     "context.team.member[0]"),
    ("2.4.6 revision only when the object is an Activity",
     st(object={"objectType": "StatementRef", "id": SID2}, context={"revision": "2"}), "context.revision"),
    ("2.4.6 platform only when the object is an Activity",
     st(object={**ACTOR, "objectType": "Agent"}, context={"platform": "LMS"}), "context.platform"),
    ("2.4.6 platform only when the object is an Activity (SubStatement)",
     st(object=SUB, context={"platform": "LMS"}), "context.platform"),
    ("2.4.6 revision is a string", st(context={"revision": 2}), "context.revision"),
    ("2.4.6 language is an RFC 5646 tag", st(context={"language": "en--US"}), "context.language"),
    ("2.4.6 language is an RFC 5646 tag (too long a subtag)", st(context={"language": "en-abcdefghi"}),
     "context.language"),
    ("2.4.6 statement is a StatementRef", st(context={"statement": {"id": SID2}}), "context.statement"),
    ("2.4.6 statement's id is a UUID", st(context={"statement": {"objectType": "StatementRef", "id": "x"}}),
     "context.statement.id"),
    ("2.4.6 extensions keys are IRIs (context)", st(context={"extensions": {"course": "x"}}),
     "context.extensions.course"),
    ("2.4.6.2 contextActivities keys are parent, grouping, category, other",
     st(context={"contextActivities": {"course": [ACT]}}), "context.contextActivities.course"),
    ("2.4.6.2 contextActivities values are Activities (id needed)",
     st(context={"contextActivities": {"parent": [{"definition": {}}]}}), "context.contextActivities.parent[0]"),
    ("2.4.6.2 contextActivities values are Activities (IRI id)",
     st(context={"contextActivities": {"parent": [{"id": "course"}]}}), "context.contextActivities.parent[0].id"),
    ("2.4.6.2 contextActivities values are Activities, not strings",
     st(context={"contextActivities": {"grouping": ["http://example.com/c"]}}),
     "context.contextActivities.grouping[0]"),
    ("2.4.6.2 contextActivities values are Activities, not Agents",
     st(context={"contextActivities": {"other": [ACTOR]}}), "context.contextActivities.other[0]"),
    ("2.4.6.2 contextActivities values are not null", st(context={"contextActivities": {"parent": None}}),
     "context.contextActivities.parent"),
    ("2.4.6 context is an object", st(context=[]), "context"),
    # 2.4.7 Timestamp, 4.5
    ("4.5 timestamp is ISO 8601", st(timestamp="next tuesday"), "timestamp"),
    ("4.5 timestamp: -00:00 is not an offset", st(timestamp="2026-06-01T10:00:00-00:00"), "timestamp"),
    ("4.5 timestamp: the date exists", st(timestamp="2026-02-30T10:00:00Z"), "timestamp"),
    ("4.5 timestamp: a date and a time", st(timestamp="2026-06-01"), "timestamp"),
    ("4.5 timestamp: hours up to 23", st(timestamp="2026-06-01T24:30:00Z"), "timestamp"),
    ("4.5 timestamp is a string", st(timestamp=1780308000), "timestamp"),
    ("2.4.8 stored is a timestamp", st(stored="now"), "stored"),
    # 2.4.9 Authority
    ("2.4.9 authority is an Agent (two IFIs)",
     st(authority={"mbox": "mailto:a@x.com", "openid": "http://a.example.com"}), "authority"),
    ("2.4.9 authority as a Group has exactly two Agents (three)", st(authority={"objectType": "Group", "member": [
        {"mbox": "mailto:a@x.com"}, {"mbox": "mailto:b@x.com"}, {"mbox": "mailto:c@x.com"}]}), "authority"),
    ("2.4.9 authority as a Group has exactly two Agents (one)",
     st(authority={"objectType": "Group", "member": [{"mbox": "mailto:a@x.com"}]}), "authority"),
    # 2.4.10 Version
    ("2.4.10 version starts with 1.0", st(version="2.0.0"), "version"),
    ("2.4.10 version is 1.0.x with digits", st(version="1.0.x"), "version"),
    ("2.4.10 version is a string", st(version=1.0), "version"),
    ("2.4.10 version starts with '1.0.'", st(version="1.0"), "version"),
    # 2.4.11 Attachments
    ("2.4.11 an attachment needs usageType", st(attachments=[{"display": {"en-US": "a"}, "contentType": "text/plain",
                                                             "length": 1, "sha2": "a" * 64}]), "attachments[0]"),
    ("2.4.11 an attachment needs sha2", st(attachments=[{"usageType": "http://x.com/u", "display": {"en-US": "a"},
                                                        "contentType": "text/plain", "length": 1}]), "attachments[0]"),
    ("2.4.11 attachment length is an integer", st(attachments=[{
        "usageType": "http://x.com/u", "display": {"en-US": "a"}, "contentType": "text/plain", "length": "1",
        "sha2": "a" * 64}]), "attachments[0].length"),
    ("2.4.11 attachment display is a language map", st(attachments=[{
        "usageType": "http://x.com/u", "display": "a", "contentType": "text/plain", "length": 1, "sha2": "a" * 64}]),
     "attachments[0].display"),
    ("2.4.11 attachment sha2 is a SHA-2 hash", st(attachments=[{
        "usageType": "http://x.com/u", "display": {"en-US": "a"}, "contentType": "text/plain", "length": 1,
        "sha2": "xyz"}]), "attachments[0].sha2"),
    ("2.4.11 attachment contentType is a media type", st(attachments=[{
        "usageType": "http://x.com/u", "display": {"en-US": "a"}, "contentType": "text", "length": 1,
        "sha2": "a" * 64}]), "attachments[0].contentType"),
    ("2.4.11 attachments is an array", st(attachments={"usageType": "http://x.com/u"}), "attachments"),
]

VALID = [
    ("2.4 the simplest statement", BASE),
    ("2.4.1 no id: the LRS assigns one", st(id=DROP)),
    ("2.4.1 an uppercase UUID", st(id=SID.upper())),
    ("2.4.7 no timestamp: the LRS sets it", st(timestamp=DROP)),
    ("2.4.2.3 mbox_sha1sum", st(actor={"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"})),
    ("2.4.2.3 openid", st(actor={"openid": "http://openid.example.org/12345"})),
    ("2.4.2.4 account", st(actor={"account": {"homePage": "http://www.example.com", "name": "1625378"}})),
    ("2.4.2.1 an Agent with objectType and name", st(actor={**ACTOR})),
    ("2.4.2.2 an anonymous Group actor", st(actor=GROUP)),
    ("2.4.2.2 an identified Group without members", st(actor={"objectType": "Group", "mbox": "mailto:g@x.com"})),
    ("2.4.2.2 an identified Group with members", st(actor={**GROUP, "account": {"homePage": "http://x.com",
                                                                                "name": "team"}})),
    ("2.4.2.2 an identified Group with an empty member list", st(actor={"objectType": "Group", "member": [],
                                                                        "openid": "http://g.example.com"})),
    ("2.4.3 a verb without display", st(verb={"id": "http://adlnet.gov/expapi/verbs/attended"})),
    ("2.4.3 display in several languages", st(verb={**VERB, "display": {"en-GB": "completed", "de": "beendet",
                                                                        "zh-Hans-CN": "完成", "es-419": "x"}})),
    ("2.4.4.1 an Activity without objectType", st(object={"id": "http://example.com/a"})),
    ("2.4.4.1 an Activity with every definition property", st(object__definition={
        "name": {"en-US": "A"}, "description": {"en-US": "B"}, "type": "http://adlnet.gov/expapi/activities/media",
        "moreInfo": "https://example.com/more", "extensions": {"http://example.com/ext": {"a": None}}})),
    ("2.4.4.1 a choice interaction", st(object__definition=CHOICE)),
    ("2.4.4.1 a sequencing interaction", st(object__definition={**CHOICE, "interactionType": "sequencing"})),
    ("2.4.4.1 a likert interaction", st(object__definition={"interactionType": "likert", "scale": [
        {"id": "1", "description": {"en-US": "bad"}}, {"id": "2"}]})),
    ("2.4.4.1 a matching interaction", st(object__definition={
        "interactionType": "matching", "correctResponsesPattern": ["a[.]1[,]b[.]2"],
        "source": [{"id": "a"}, {"id": "b"}], "target": [{"id": "1"}, {"id": "2"}]})),
    ("2.4.4.1 a performance interaction", st(object__definition={"interactionType": "performance",
                                                                 "steps": [{"id": "pong"}]})),
    ("2.4.4.1 true-false, fill-in, numeric, other interactions without components",
     st(object__definition={"interactionType": "numeric", "correctResponsesPattern": ["4[:]"]})),
    ("2.4.4.1 an empty correctResponsesPattern", st(object__definition={"interactionType": "other",
                                                                        "correctResponsesPattern": []})),
    ("2.4.4.2 an Agent as object", st(object={"objectType": "Agent", "mbox": "mailto:bob@example.com"})),
    ("2.4.4.2 a Group as object", st(object=GROUP)),
    ("2.4.4.3 a StatementRef", st(object={"objectType": "StatementRef", "id": SID2})),
    ("2.3.2 a voiding statement", st(verb={"id": "http://adlnet.gov/expapi/verbs/voided", "display": {
        "en-US": "voided"}}, object={"objectType": "StatementRef", "id": SID2})),
    ("2.4.4.4 a SubStatement", st(object=SUB)),
    ("2.4.4.4 a SubStatement with result, context and a future timestamp", st(object={
        **SUB, "result": {"success": True}, "context": {"platform": "LMS"}, "timestamp": "2099-01-01T00:00:00Z"})),
    ("2.4.5 a full result", st(result={"score": {"scaled": 0.95, "raw": 95, "min": 0, "max": 100}, "success": True,
                                       "completion": True, "response": "We agreed on some example actions.",
                                       "duration": "PT1H0M0S", "extensions": {"http://example.com/x": None}})),
    ("2.4.5.1 scaled -1 and 1 are allowed", st(result={"score": {"scaled": -1}})),
    ("2.4.5.1 raw without min and max", st(result={"score": {"raw": 1e6}})),
    ("4.6 durations: P1W, PT0.5S, P1Y2M3DT4H5M6.7S, PT1.5H",
     st(result={"duration": "P1Y2M3DT4H5M6.7S"}, object={**SUB, "result": {"duration": "PT1.5H"}})),
    ("4.6 a duration in weeks", st(result={"duration": "P1W"})),
    ("2.4.6 a full context", st(context={
        "registration": SID2, "instructor": {"name": "Irene", "mbox": "mailto:irene@example.com"},
        "team": GROUP, "contextActivities": {"parent": [ACT], "grouping": {"id": "http://example.com/g"},
                                             "category": [{"id": "http://example.com/c", "definition": {
                                                 "type": "http://adlnet.gov/expapi/activities/profile"}}],
                                             "other": []},
        "revision": "2", "platform": "Example LMS", "language": "en-US",
        "statement": {"objectType": "StatementRef", "id": SID2}, "extensions": {"http://example.com/e": 1}})),
    ("2.4.6 an instructor Group", st(context={"instructor": GROUP})),
    ("4.5 timestamps with an offset", st(timestamp="2026-06-01T12:00:00+02:00")),
    ("4.5 timestamps without seconds, with a basic offset", st(timestamp="2026-06-01T12:00+0200")),
    ("4.5 timestamps with many fraction digits", st(timestamp="2026-06-01T10:00:00.123456789Z")),
    ("2.4.8 stored and authority from another LRS", st(stored="2026-06-01T10:00:01Z", authority={
        "objectType": "Agent", "account": {"homePage": "http://lrs.example.com", "name": "key"}})),
    ("2.4.9 authority as a Group of two (3-legged OAuth)", st(authority={"objectType": "Group", "member": [
        {"account": {"homePage": "http://lrs.example.com/oauth", "name": "app"}}, {"mbox": "mailto:u@x.com"}]})),
    ("2.4.10 version 1.0.0", st(version="1.0.0")),
    ("2.4.10 version 1.0.3", st(version="1.0.3")),
    ("2.4.11 an attachment", st(attachments=[{
        "usageType": "http://adlnet.gov/expapi/attachments/signature", "display": {"en-US": "Signature"},
        "description": {"en-US": "A test signature"}, "contentType": "application/octet-stream", "length": 4235,
        "sha2": "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634",
        "fileUrl": "http://example.com/sig"}])),
    ("5.3 extension values may be null", st(context={"extensions": {"http://example.com/e": None}})),
    ("language tags: private use and grandfathered", st(verb={**VERB, "display": {"x-klingon": "a", "i-klingon": "b",
                                                                                  "sgn-BE-FR": "c"}})),
    # departures of real emitters (docs/xapi.md, Tolerances)
    ("Open edX: GroupActivity object", st(object={**ACT, "objectType": "GroupActivity"})),
    ("Open edX: an Activity object without id", st(object={"objectType": "Activity", "definition": {
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction"}})),
    ("Open edX: a bare UUID as a contextActivities id",
     st(context={"contextActivities": {"grouping": [{"id": SID2.upper()}]}})),
    ("Open edX: GroupActivity in contextActivities",
     st(context={"contextActivities": {"parent": [{**ACT, "objectType": "GroupActivity"}]}})),
    ("Open edX: score min equal to max", st(result={"score": {"raw": 0, "min": 0, "max": 0}})),
]


def test_at_least_100_invalid_and_40_valid():
    assert len(INVALID) >= 100 and len(VALID) >= 40
    assert len({r for r, _, _ in INVALID}) == len(INVALID) and len({r for r, _ in VALID}) == len(VALID)


@pytest.mark.parametrize(("rule", "statement", "path"), INVALID, ids=[r for r, _, _ in INVALID])
def test_refused(rule, statement, path):
    found = check(statement)
    assert found, f"accepted, but {rule}"
    assert path in [p for p, _ in found], found


@pytest.mark.parametrize(("rule", "statement"), VALID, ids=[r for r, _ in VALID])
def test_kept(rule, statement):
    assert check(statement) == []


def test_the_refusal_names_path_and_reason():
    bad = st(context={"instructor": {"mbox": "mailto:i@x.com", "openid": "http://i.example.com"}})
    assert problems(bad) == ["context.instructor: an Agent has exactly one identifier (mbox, openid)"]
    assert problems(st(Actor=ACTOR, actor=DROP)) == [
        "Actor: a Statement has no property 'Actor' (the name is 'actor': names are case-sensitive)", "missing actor"]


def test_the_specification_examples_of_yetanalytics_are_valid():
    """The example objects of ../shared/realdata/xapi/yetanalytics (from the specification's own examples)."""
    import json

    from data_access.xapi.validate import Checker
    from tests.xapi_bundle import REALDATA

    root = REALDATA / "yetanalytics" / "objects"
    if not root.exists():
        pytest.skip(f"real statements not present at {root}")
    for name, as_ in (("agent", "actor"), ("group", "actor"), ("authority", "authority"), ("activity", "object"),
                      ("sub-statement", "object")):
        value = json.loads((root / f"{name}.json").read_text(encoding="utf-8"))
        assert check(st(**{as_: value})) == [], name
    for path in sorted((root / "activity" / "definition" / "interaction").glob("*.json")):
        walk = Checker()
        walk.definition(json.loads(path.read_text(encoding="utf-8")), "object.definition")
        assert walk.out == [], path.name


def test_a_refused_statement_changes_nothing(engine):
    """All or nothing on SQLite and PostgreSQL: one statement the specification forbids in a batch of valid ones
    stores nothing, and the report names the statement and the path."""
    from data_access.importer import stored_counts
    from data_access.write.xapi.ingest import XapiFailed, ingest
    from data_access.xapi.sources import Item

    before = stored_counts(engine)
    bad = st(id=SID2, context={"instructor": {"mbox": "mailto:i@x.com", "openid": "http://i.example.com"}})
    batch = [BASE, bad, st(id="0b7d4c2e-1f1a-4c3e-9d7f-1a2b3c4d5e6f", object=SUB)]
    with pytest.raises(XapiFailed) as err:
        ingest(engine, [Item(f"statement[{i}]", s) for i, s in enumerate(batch)], 1_780_000_000)
    assert err.value.issues == [("statement[1].context.instructor",
                                 "an Agent has exactly one identifier (mbox, openid)")]
    assert stored_counts(engine) == before
    assert ingest(engine, [Item("statement[0]", BASE)], 1_780_000_000).stored == 1


def test_remembered_valid_parts_do_not_change_answers():
    """Valid actors, verbs and objects are remembered by their JSON text: checking everything again, in another
    order, gives the same answers."""
    first = [check(s) for _, s, _ in INVALID] + [check(s) for _, s in VALID]
    again = [check(s) for _, s in reversed(VALID)][::-1]
    assert [check(s) for _, s, _ in INVALID] + again == first
