"""HACP's pieces: session ids, the aicc_data block parser, CMI time spans and the response format."""

from __future__ import annotations

from coursehost.player.hacp import aicc_sid, apply, centiseconds, fresh_state, parse_data, parse_sid, response, timespan

SECRET = b"secret"


def test_session_ids_are_alphanumeric_and_signed() -> None:
    sid = aicc_sid(SECRET, "ab12", 3)
    assert sid.isalnum()
    assert parse_sid(SECRET, sid) == ("ab12", 3)
    assert parse_sid(b"other", sid) is None
    assert parse_sid(SECRET, sid.replace("x3x", "x4x")) is None
    assert parse_sid(SECRET, "nope") is None


def test_parse_data() -> None:
    text = "[Core]\r\nLesson_Location = 5\nlesson_status=P\r\n[Core_Lesson]\r\nline one\r\nline=two\n[core_vendor]\nx=1"
    assert parse_data(text) == {
        "core": {"lesson_location": "5", "lesson_status": "P"},
        "core_lesson": "line one\nline=two",
        "core_vendor": {"x": "1"},
    }


def test_time_spans() -> None:
    assert centiseconds("00:01:30") == 9000
    assert centiseconds("1:02:03.5") == 372350
    assert centiseconds("0100:00:00") == 36000000
    assert centiseconds("soon") is None
    assert timespan(372350) == "01:02:03"
    assert timespan(36000000) == "100:00:00"


def test_put_param_status_words_and_flags() -> None:
    state = fresh_state()
    apply(state, "putparam", "[core]\nlesson_status=Failed,logout\nscore=10\ntime=bad")
    core = state["cmi"]["core"]
    assert (core["lesson_status"], core["exit"], core["score"], core["session_time"]) == ("failed", "logout", "10", "")
    apply(state, "putparam", "[core]\nlesson_status=weird")
    assert core["lesson_status"] == "failed"


def test_response_format() -> None:
    assert response(0, "Successful") == "error=0\r\nerror_text=Successful\r\nversion=2.2\r\n"
    assert (
        response(0, "Successful", "[Core]")
        == "error=0\r\nerror_text=Successful\r\nversion=2.2\r\naicc_data=\r\n[Core]\r\n"
    )
