"""The configuration settings coursehost accepts: the source of truth for ids, types, defaults and levels.

The ids, data types, defaults, valid values and learning standards are SCORM Cloud's (Rustici Engine's), so values
a customer already uses keep their meaning; the descriptions are coursehost's own. Most settings are stored and
reported for compatibility only: docs/configuration.md lists the ones coursehost acts on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from coursehost.packages.base import LEARNING_STANDARDS as ALL_STANDARDS

Level = Literal["application", "learningStandardForApplication", "course", "registration"]
ValueFormat = Literal["url", "exit-url"]

# Where a customer may set a setting. "course" includes course versions; "registration" is served later.
ANY_LEVEL: tuple[Level, ...] = ("application", "learningStandardForApplication", "course", "registration")
APPLICATION_ONLY: tuple[Level, ...] = ("application",)

# The tokens of SCORM Cloud's courseLearningStandard enum that settings are scoped by (all but UNKNOWN).
LEARNING_STANDARDS = tuple(standard for standard in ALL_STANDARDS if standard != "UNKNOWN")
SCORM_1X = ("SCORM11", "SCORM12")
SCORM_2004 = ("SCORM20042NDEDITION", "SCORM20043RDEDITION", "SCORM20044THEDITION")
SCORM = SCORM_1X + SCORM_2004
SCORM_2004_4TH = ("SCORM20044THEDITION",)
SCORM_1X_AICC = (*SCORM_1X, "AICC")
SCORM_1X_CMI5 = (*SCORM_1X, "CMI5")
SCORM_1X_AICC_CMI5 = (*SCORM_1X, "AICC", "CMI5")
SCORM_AICC = (*SCORM, "AICC")
SCORM_AICC_CMI5 = (*SCORM, "AICC", "CMI5")


@dataclass(frozen=True)
class ValidValue:
    value: str
    description: str


@dataclass(frozen=True)
class Setting:
    id: str
    data_type: str
    # None: no fixed default (the player decides); read back as "" with source "default".
    default: str | None
    description: str
    levels: tuple[Level, ...] = ANY_LEVEL
    # Empty: applies to every learning standard.
    learning_standards: tuple[str, ...] = ()
    valid_values: tuple[ValidValue, ...] = ()
    # Another setting's id whose value applies when this one has none (reported in metadata).
    fallback: str | None = None
    # Stricter checks for values Engine types as plain strings.
    value_format: ValueFormat | None = None

    @property
    def metadata_level(self) -> str:
        """The most specific level, worded like Engine's metadata (which says "Tenant" for application)."""
        return "Registration" if "registration" in self.levels else "Application"


def _values(*pairs: tuple[str, str]) -> tuple[ValidValue, ...]:
    return tuple(ValidValue(value, description) for value, description in pairs)


LAUNCH_TYPES = _values(
    ("FRAMESET", "in a frame of the current page"),
    ("NEW_WINDOW", "in a new window"),
    ("NEW_WINDOW_AFTER_CLICK", "in a new window once the learner clicks, which pop-up blockers allow"),
    ("NEW_WINDOW_WITHOUT_BROWSER_TOOLBAR", "in a new window without the browser's toolbar"),
    ("NEW_WINDOW_AFTER_CLICK_WITHOUT_BROWSER_TOOLBAR", "in a new window without toolbar, once the learner clicks"),
)
EXIT_ACTIONS = _values(
    ("EXIT_COURSE", "close the player"),
    ("EXIT_COURSE_AFTER_CONFIRM", "close the player once the learner confirms"),
    ("GO_TO_NEXT_SCO", "continue with the next SCO"),
    ("DISPLAY_MESSAGE", "show a message"),
    ("DO_NOTHING", "stay where the learner is"),
)
COMPLETION_STATUSES = _values(
    ("Unknown", "leave the completion status unknown"),
    ("Completed", "record completed"),
    ("Incomplete", "record incomplete"),
    ("Browsed", "record browsed"),
    ("Not_Attempted", "record not attempted"),
)
IE_MODES = _values(
    ("NONE", "send no compatibility header"),
    ("EMULATE_IE7", "emulate IE7; the doctype decides"),
    ("IE7", "IE7 standards mode"),
    ("EMULATE_IE8", "emulate IE8; the doctype decides"),
    ("IE8", "IE8 standards mode"),
    ("EMULATE_IE9", "emulate IE9; the doctype decides"),
    ("IE9", "IE9 standards mode"),
    ("EDGE", "the newest mode the browser has"),
    ("IE10", "IE10 standards mode"),
)
INVALID_MENU_ITEM_ACTIONS = _values(
    ("SHOW", "show the item as usual"),
    ("HIDE", "leave the item out of the outline"),
    ("DISABLE", "show the item without a link"),
)
LOOKAHEAD_MODES = _values(
    ("DISABLED", "do not predict navigation"),
    ("ENABLED", "predict which navigation is possible"),
    ("REALTIME", "predict, and re-check whenever status changes"),
)
RESET_TIMINGS = _values(
    ("NEVER", "keep runtime data"),
    ("WHEN_EXIT_IS_NOT_SUSPEND", "clear it unless the SCO suspended"),
    ("ON_EACH_NEW_SEQUENCING_ATTEMPT", "clear it on every new attempt"),
)
RETURN_TO_LMS_ACTIONS = _values(
    ("Legacy", "the behaviour of players before 2009"),
    ("SuspendAll", "suspend the course"),
    ("ExitAll", "exit the course"),
    ("Selectable", "let the learner choose"),
)
SCORE_ROLLUPS = _values(
    ("SCORE_PROVIDED_BY_COURSE", "the score the content reports"),
    ("AVERAGE_SCORE_OF_ALL_UNITS", "the average over every SCO"),
    ("AVERAGE_SCORE_OF_ALL_UNITS_WITH_SCORES", "the average over the SCOs that reported a score"),
    ("FIXED_AVERAGE", "the total divided by PlayerScoreRollupModeNumberOfScoringObjects"),
    ("AVERAGE_SCORE_OF_ALL_UNITS_WITH_NONZERO_SCORES", "the average over the SCOs with a score above zero"),
    ("LAST_SCO_SCORE", "the score of the last SCO"),
)
STATUS_DISPLAYS = _values(
    ("SUCCESS_ONLY", "pass or fail only"),
    ("COMPLETION_ONLY", "completion only"),
    ("SEPARATE", "one icon for each"),
    ("COMBINED", "one icon for both"),
    ("NONE", "no icons"),
)
STATUS_ROLLUPS = _values(
    ("STATUS_PROVIDED_BY_COURSE", "the status the content reports"),
    ("COMPLETE_WHEN_ALL_UNITS_COMPLETE", "complete when every SCO is complete"),
    ("COMPLETE_WHEN_ALL_UNITS_COMPLETE_AND_NOT_FAILED", "complete when every SCO is complete and none failed"),
    ("COMPLETE_WHEN_THRESHOLD_SCORE_IS_MET", "complete when the course score reaches the threshold"),
    ("COMPLETE_WHEN_ALL_UNITS_COMPLETE_AND_THRESHOLD_SCORE_IS_MET", "every SCO complete and the threshold reached"),
    ("COMPLETE_WHEN_ALL_UNITS_ARE_PASSED", "complete when every SCO is passed"),
)
RESTART_TIMINGS = _values(
    ("NEVER", "never"),
    (
        "WHEN_EXISTING_REG_IS_COMPLETE_AND_NEWER_PACKAGE_VERSION_EXISTS",
        "when it is complete and a newer version exists",
    ),
    ("WHEN_NEWER_PACKAGE_VERSION_EXISTS", "whenever a newer version exists"),
    ("WHEN_EXISTING_REG_IS_COMPLETE", "once it is complete"),
    ("WHEN_EXISTING_REG_IS_SATISFIED", "once it is satisfied"),
    (
        "WHEN_EXISTING_REG_IS_SATISFIED_AND_NEWER_PACKAGE_VERSION_EXISTS",
        "when it is satisfied and a newer version exists",
    ),
    ("WHEN_EXISTING_REG_IS_INCOMPLETE_AND_NEWER_PACKAGE_VERSION_EXISTS", "when incomplete and a newer version exists"),
    ("WHEN_EXISTING_REG_IS_FAILED", "once it is failed"),
    ("WHEN_EXISTING_REG_IS_FAILED_AND_NEWER_PACKAGE_VERSION_EXISTS", "when it is failed and a newer version exists"),
)
LTI11_PRIVACY = _values(
    ("LEARNER_NAME_ONLY", "the learner's name"),
    ("LEARNER_NAME_AND_EMAIL", "the learner's name and email address"),
    ("NO_LEARNER_INFO", "nothing that identifies the learner"),
)
LTI13_PRIVACY = _values(
    ("LEARNER_NAME_ONLY", "the learner's name"),
    ("NO_LEARNER_INFO", "nothing that identifies the learner"),
)
API_VERSIONS = _values(("v1", "API v1 payloads"), ("v2", "API v2 payloads"))
LAUNCH_AUTH_TYPES = _values(("cookies", "launch cookies"), ("vault", "the content vault"))
POSTBACK_AUTH_TYPES = _values(
    ("form", "user name and password as form fields"), ("httpbasic", "an HTTP Basic Authorization header")
)
POSTBACK_FORMATS = _values(
    ("course", "course-level results only"),
    ("activity", "results for each activity"),
    ("full", "everything, including interactions and objectives"),
)

SETTINGS: tuple[Setting, ...] = (
    # Settable at application, learning-standard, course (and version) and, later, registration level.
    Setting(
        "ApiCourseDeleteAttemptDeleteFiles",
        "bool",
        "false",
        "Also remove a course's content files when the course is deleted through the API.",
    ),
    Setting(
        "ApiRollupRegistrationAuthPassword",
        "string",
        "",
        "Password the postback receiver expects; carried as ApiRollupRegistrationAuthType says.",
    ),
    Setting(
        "ApiRollupRegistrationAuthType",
        "string",
        "httpbasic",
        "How registration postbacks authenticate: form fields (form) or an HTTP Basic header (httpbasic).",
        valid_values=POSTBACK_AUTH_TYPES,
    ),
    Setting("ApiRollupRegistrationAuthUser", "string", "", "User name the postback receiver expects."),
    Setting(
        "ApiRollupRegistrationDuringSession",
        "bool",
        "true",
        "Post registration progress while the learner is still in the course, not only when they leave.",
    ),
    Setting(
        "ApiRollupRegistrationFormat",
        "string",
        "activity",
        "How much detail a registration postback carries: course, activity or full.",
        valid_values=POSTBACK_FORMATS,
    ),
    Setting(
        "ApiRollupRegistrationIsJson", "bool", "true", "Send postbacks as JSON; false selects the legacy XML payload."
    ),
    Setting(
        "ApiRollupRegistrationPostBackUrl",
        "string",
        "",
        "Absolute URL that receives registration postbacks; empty sends none.",
        value_format="url",
    ),
    Setting(
        "ApiRollupRegistrationSynchronous",
        "bool",
        "true",
        "Try the first postback synchronously, while the learner's results are being saved.",
    ),
    Setting(
        "AudioVideoContentStylesheetPath", "string", "", "Stylesheet applied to the built-in audio and video player."
    ),
    Setting(
        "Cmi5EntitlementKeyAlternate",
        "string",
        "",
        "Alternate entitlement key handed to cmi5 assignable units in their launch data.",
    ),
    Setting(
        "CompressRecordResultsPayload", "bool", "false", "Compress the result payloads the player sends to the server."
    ),
    Setting(
        "ConcurrentLaunchDetectionEnabled",
        "bool",
        "true",
        "Notice when one registration is launched in two places at the same time.",
    ),
    Setting(
        "ConcurrentLaunchDetectionHistoryRows",
        "positiveInt",
        "5",
        "Number of recent launches examined when looking for concurrent launches.",
    ),
    Setting(
        "ContentLangToUrl",
        "languageList",
        "[]",
        "JSON array of alternate-language sources (label, srclang, url) for media content.",
    ),
    Setting("ContentVaultAuthExpiry", "int", "2880", "Lifetime of a content vault authorisation, in seconds."),
    Setting(
        "ContentVaultAuthFingerprintValidationEnabled",
        "bool",
        "true",
        "Content vault ties access to the browser fingerprint of the launch.",
    ),
    Setting(
        "ContentVaultEnabled",
        "bool",
        "false",
        "Serve content through the content vault, so files are reachable only from a launch.",
    ),
    Setting(
        "ContentVaultIpAddressValidationEnabled",
        "bool",
        "true",
        "Content vault ties access to the IP address of the launch.",
    ),
    Setting(
        "ContentVaultPathModifyingPrefix",
        "string",
        "/vault",
        "Path prefix the content vault puts in front of content URLs.",
    ),
    Setting(
        "ContentVaultSlidingAuthExpiry", "int", "60", "Length of the content vault's sliding access window, in seconds."
    ),
    Setting(
        "ContentVaultSlidingAuthExpiryEnabled",
        "bool",
        "false",
        "Renew content vault access while the learner keeps requesting files.",
    ),
    Setting(
        "DefaultModernPlayerTheme", "string", "default", "Theme of the modern player (kept for old configurations)."
    ),
    Setting(
        "EnableClientDebugger",
        "bool",
        "false",
        "Let the learner open the player's debugger, and offer it when something fails.",
    ),
    Setting(
        "ForceExitConcurrentLaunches",
        "bool",
        "false",
        "End an earlier launch of the same registration without asking the learner.",
    ),
    Setting(
        "GenerateTinCanLaunchStatements",
        "bool",
        "true",
        "Write a 'launched' xAPI statement when xAPI content is launched.",
    ),
    Setting(
        "IntermediatePageLoadAtStart",
        "bool",
        "true",
        "Show the loading page in the content frame while a launch starts.",
    ),
    Setting(
        "LaunchAuthType",
        "string",
        "cookies",
        "How content access is authorised on launch: cookies, or the content vault.",
        valid_values=LAUNCH_AUTH_TYPES,
    ),
    Setting(
        "LegacyPlayerCustomizationScriptUrl",
        "string",
        "",
        "Absolute URL of a script the legacy player loads to customise itself.",
        value_format="url",
    ),
    Setting(
        "LegacyPlayerCustomizationStylesheetUrl",
        "string",
        "",
        "Absolute URL of a stylesheet the legacy player loads.",
        value_format="url",
    ),
    Setting(
        "Lti11PrivacySettings",
        "Enum.Lti11PrivacySettingValue",
        "LEARNER_NAME_ONLY",
        "Learner details included in LTI 1.1 launches.",
        valid_values=LTI11_PRIVACY,
    ),
    Setting("Lti11Roles", "string", "Learner", "Comma-separated LTI 1.1 roles given to the learner at launch."),
    Setting(
        "Lti13PrivacySettings",
        "Enum.Lti13PrivacySettingValue",
        "LEARNER_NAME_ONLY",
        "Learner details included in LTI 1.3 launches.",
        valid_values=LTI13_PRIVACY,
    ),
    Setting(
        "Lti13Roles",
        "delimitedString",
        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student",
        "LTI 1.3 role URIs given to the learner at launch.",
    ),
    Setting(
        "MaxPersistRuntimeDataAttempts",
        "positiveInt",
        "1",
        "How many times saving runtime data is attempted before giving up.",
        learning_standards=SCORM,
    ),
    Setting(
        "MediaContentCompletionThreshold",
        "nonNegativeInt",
        "95",
        "Percentage of an audio or video file that must be played for it to be complete.",
    ),
    Setting("MediaContentStylesheetPath", "string", "", "Stylesheet applied to media content."),
    Setting(
        "ModernPlayerCustomizationLogo",
        "string",
        "",
        "Absolute URL of the logo image shown in the modern player.",
        value_format="url",
    ),
    Setting(
        "ModernPlayerCustomizationScriptUrl",
        "string",
        "",
        "Absolute URL of a script the modern player loads to customise itself.",
        value_format="url",
    ),
    Setting(
        "ModernPlayerCustomizationStylesheetUrl",
        "string",
        "",
        "Absolute URL of a stylesheet the modern player loads.",
        value_format="url",
    ),
    Setting(
        "PDFContentPageDurationThreshold",
        "nonNegativeInt",
        "5",
        "Seconds a PDF page must stay on screen before it counts as viewed.",
    ),
    Setting("PDFContentStylesheetPath", "string", "", "Stylesheet applied to the built-in PDF viewer."),
    Setting(
        "PlayerAllowCompleteStatusChange",
        "bool",
        "",
        "Let content change a lesson status that is already completed.",
        learning_standards=SCORM_1X_AICC,
    ),
    Setting(
        "PlayerAlwaysFlowToFirstSco",
        "bool",
        "",
        "Start every launch at the first SCO whatever the sequencing rules say.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerApplyRollupStatusToSuccess",
        "bool",
        "",
        "Let the status rollup set the success status as well as completion.",
        learning_standards=SCORM_1X_CMI5,
    ),
    Setting("PlayerCaptureHistory", "bool", "", "Keep a history of the learner's attempts."),
    Setting("PlayerCaptureHistoryDetailed", "bool", "", "Keep a detailed history of the learner's attempts."),
    Setting(
        "PlayerCommCommitFrequency",
        "nonNegativeInt",
        None,
        "Milliseconds between the player's checks for unsaved data.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerCommMaxFailedSubmissions",
        "nonNegativeInt",
        None,
        "Failed saves tolerated before the learner is warned.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerCompletionStatOfFailedSuccessStat",
        "Enum.CompletionStatusValue",
        None,
        "Completion status recorded when content reports a failed success status.",
        learning_standards=SCORM_1X_AICC,
        valid_values=COMPLETION_STATUSES,
    ),
    Setting(
        "PlayerCourseStructureStartsOpen",
        "bool",
        "",
        "Open the course outline when the player starts.",
        learning_standards=SCORM_AICC_CMI5,
    ),
    Setting(
        "PlayerCourseStructureWidth", "nonNegativeInt", None, "Width of the course outline in pixels (legacy player)."
    ),
    Setting("PlayerDebugControlAudit", "bool", "true", "Debug log: control events at audit detail."),
    Setting("PlayerDebugControlDetailed", "bool", "true", "Debug log: control events in full detail."),
    Setting("PlayerDebugIncludeTimestamps", "bool", "true", "Debug log: stamp every entry with its time."),
    Setting(
        "PlayerDebugLookAheadAudit",
        "bool",
        "true",
        "Debug log: lookahead sequencing at audit detail.",
        learning_standards=SCORM_2004,
    ),
    Setting(
        "PlayerDebugLookAheadDetailed",
        "bool",
        "false",
        "Debug log: lookahead sequencing in full detail.",
        learning_standards=SCORM_2004,
    ),
    Setting("PlayerDebugRteAudit", "bool", "true", "Debug log: runtime API calls at audit detail."),
    Setting("PlayerDebugRteDetailed", "bool", "true", "Debug log: runtime API calls in full detail."),
    Setting("PlayerDebugSequencingAudit", "bool", "true", "Debug log: sequencing at audit detail."),
    Setting("PlayerDebugSequencingDetailed", "bool", "true", "Debug log: sequencing in full detail."),
    Setting(
        "PlayerDebugSequencingSimple",
        "bool",
        "true",
        "Debug log: a simplified sequencing trace.",
        learning_standards=SCORM_2004_4TH,
    ),
    Setting("PlayerDesiredFullScreen", "bool", "", "The content would like to run full screen."),
    Setting("PlayerDesiredHeight", "nonNegativeInt", None, "Height in pixels the content would like."),
    Setting("PlayerDesiredWidth", "nonNegativeInt", None, "Width in pixels the content would like."),
    Setting(
        "PlayerEnableChoiceNav",
        "bool",
        "",
        "Let the learner open any item from the course outline.",
        learning_standards=SCORM_1X_AICC_CMI5,
    ),
    Setting(
        "PlayerEnableFlowNav", "bool", "", "Offer Previous and Next buttons.", learning_standards=SCORM_1X_AICC_CMI5
    ),
    Setting(
        "PlayerFinalScoCourseNotSatisfiedLogoutExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after the last SCO exits with 'logout' and the course is not satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerFinalScoCourseNotSatisfiedNormalExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after the last SCO exits normally and the course is not satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerFinalScoCourseNotSatisfiedSuspendExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after the last SCO exits with 'suspend' and the course is not satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerFinalScoCourseNotSatisfiedTimeoutExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after the last SCO exits with 'time-out' and the course is not satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerFinalScoCourseSatisfiedLogoutExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after the last SCO exits with 'logout' and the course is satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerFinalScoCourseSatisfiedNormalExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after the last SCO exits normally and the course is satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerFinalScoCourseSatisfiedSuspendExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after the last SCO exits with 'suspend' and the course is satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerFinalScoCourseSatisfiedTimeoutExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after the last SCO exits with 'time-out' and the course is satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerFinishCausesImmediateCommit",
        "bool",
        "",
        "Save to the server at once when content calls Finish or Terminate.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerFirstScoIsPretest",
        "bool",
        "",
        "Treat the first SCO as a pretest: passing it completes the course.",
        learning_standards=SCORM_1X_CMI5,
    ),
    Setting(
        "PlayerForceDisableRootChoice",
        "bool",
        "",
        "Never let the learner choose the course root (which would start a new attempt).",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerForceObjectiveCompletionSetByContent",
        "bool",
        "",
        "Assume content sets objective and completion status, whatever the manifest declares.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerIntermediateScoNotSatisfiedLogoutExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after a SCO other than the last exits with 'logout' and the course is not satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerIntermediateScoNotSatisfiedNormalExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after a SCO other than the last exits normally and the course is not satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerIntermediateScoNotSatisfiedSuspendExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after a SCO other than the last exits with 'suspend' and the course is not satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerIntermediateScoNotSatisfiedTimeoutExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after a SCO other than the last exits with 'time-out' and the course is not satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerIntermediateScoSatisfiedLogoutExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after a SCO other than the last exits with 'logout' and the course is satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerIntermediateScoSatisfiedNormalExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after a SCO other than the last exits normally and the course is satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerIntermediateScoSatisfiedSuspendExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after a SCO other than the last exits with 'suspend' and the course is satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerIntermediateScoSatisfiedTimeoutExitAction",
        "Enum.ExitActionValue",
        None,
        "What the player does after a SCO other than the last exits with 'time-out' and the course is satisfied.",
        learning_standards=SCORM_1X,
        valid_values=EXIT_ACTIONS,
    ),
    Setting(
        "PlayerInternetExplorerCompatibilityMode",
        "Enum.InternetExplorerCompatibilityModeValue",
        None,
        "Document mode the player's pages ask Internet Explorer to use.",
        learning_standards=SCORM,
        valid_values=IE_MODES,
    ),
    Setting(
        "PlayerInvalidMenuItemAction",
        "Enum.InvalidMenuItemActionValue",
        None,
        "What the outline does with items the learner cannot go to.",
        valid_values=INVALID_MENU_ITEM_ACTIONS,
    ),
    Setting(
        "PlayerInvokeRollupAtSuspendAll",
        "bool",
        "",
        "Run rollup when the learner suspends the whole course.",
        learning_standards=SCORM_2004,
    ),
    Setting("PlayerIsAvailableOffline", "bool", "", "The course may be taken offline.", learning_standards=SCORM),
    Setting(
        "PlayerIsCompletionTracked",
        "bool",
        "",
        "Completion reported by the course is meaningful.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerIsIncompleteSatisfactionMeaningful",
        "bool",
        "",
        "Pass or fail counts even while the course is incomplete.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerIsIncompleteScoreMeaningful",
        "bool",
        "",
        "The score counts even while the course is incomplete.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerIsSatisfactionTracked",
        "bool",
        "",
        "Pass or fail reported by the course is meaningful.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerIsScoreTracked", "bool", "", "The score reported by the course is meaningful.", learning_standards=SCORM
    ),
    Setting(
        "PlayerLaunchCompletedRegsAsNoCredit",
        "bool",
        "",
        "Relaunch an already completed registration in no-credit mode.",
        learning_standards=SCORM_1X_AICC,
    ),
    Setting(
        "PlayerLaunchType",
        "Enum.LaunchTypeValue",
        None,
        "Where the player opens: in a frame of the launching page, or in a new window.",
        valid_values=LAUNCH_TYPES,
    ),
    Setting(
        "PlayerLogoutCausesPlayerExit",
        "bool",
        "",
        "Close the whole player when a SCO exits with 'logout'.",
        learning_standards=SCORM_2004,
    ),
    Setting(
        "PlayerLookaheadSequencerMode",
        "Enum.LookaheadSequencerModeValue",
        None,
        "Whether the player predicts which navigation is possible, and how often it re-checks.",
        learning_standards=SCORM,
        valid_values=LOOKAHEAD_MODES,
    ),
    Setting(
        "PlayerMakeStudentPrefsGlobalToCourse",
        "bool",
        "",
        "Apply learner preferences (such as audio level) to every SCO of the course.",
        learning_standards=SCORM,
    ),
    Setting("PlayerPreventRightClick", "bool", "", "Block the context menu inside the player."),
    Setting(
        "PlayerPreventWindowResize",
        "bool",
        "",
        "Stop the learner resizing the player's windows.",
        learning_standards=SCORM_AICC,
    ),
    Setting("PlayerRequiredFullScreen", "bool", "", "The content only works full screen."),
    Setting("PlayerRequiredHeight", "nonNegativeInt", None, "Smallest height in pixels the content works at."),
    Setting("PlayerRequiredWidth", "nonNegativeInt", None, "Smallest width in pixels the content works at."),
    Setting(
        "PlayerResetRunTimeData",
        "Enum.ResetRunTimeDataTimingValue",
        None,
        "When a SCO's runtime data is cleared.",
        learning_standards=SCORM,
        valid_values=RESET_TIMINGS,
    ),
    Setting(
        "PlayerReturnToLmsAction",
        "Enum.ReturnToLmsActionValue",
        None,
        "What the Return to LMS button asks the sequencer to do.",
        learning_standards=SCORM,
        valid_values=RETURN_TO_LMS_ACTIONS,
    ),
    Setting(
        "PlayerRollupEmptySetToUnknown",
        "bool",
        "",
        "Roll up children whose status is unknown as unknown rather than satisfied.",
        learning_standards=SCORM_2004,
    ),
    Setting(
        "PlayerRollupRuntimeAtScoUnload",
        "bool",
        "",
        "Roll up and save runtime data each time a SCO unloads.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerSatisfiedCausesCompletion",
        "bool",
        "",
        "Mark an activity complete once it is satisfied.",
        learning_standards=SCORM_2004,
    ),
    Setting(
        "PlayerScaleRawScore",
        "bool",
        "",
        "Use the raw score as the scaled score when content reports no scaled score.",
        learning_standards=SCORM_2004,
    ),
    Setting(
        "PlayerScoLaunchType",
        "Enum.LaunchTypeValue",
        None,
        "Where each SCO opens: in the player's frame, or in a new window.",
        valid_values=LAUNCH_TYPES,
    ),
    Setting(
        "PlayerScoreOverridesStatus",
        "bool",
        "",
        "Let the status derived from the score replace the status content reported.",
        learning_standards=SCORM_1X_AICC,
    ),
    Setting(
        "PlayerScoreRollupModeNumberOfScoringObjects",
        "int",
        None,
        "Divisor the FIXED_AVERAGE score rollup uses.",
        learning_standards=SCORM_1X_CMI5,
    ),
    Setting(
        "PlayerScoreRollupModeValue",
        "Enum.ScoreRollupMethodValue",
        None,
        "How SCO scores combine into the course score.",
        learning_standards=SCORM_1X_CMI5,
        valid_values=SCORE_ROLLUPS,
    ),
    Setting("PlayerShowCloseItem", "bool", "", "Show the button that closes the current SCO."),
    Setting("PlayerShowCourseStructure", "bool", "", "Show the course outline.", learning_standards=SCORM_AICC_CMI5),
    Setting("PlayerShowFinishButton", "bool", "", "Show the Return to LMS button."),
    Setting("PlayerShowHelp", "bool", "", "Show the Help button."),
    Setting("PlayerShowNavBar", "bool", "", "Show the player's navigation bar."),
    Setting("PlayerShowProgressBar", "bool", "", "Show a progress bar."),
    Setting("PlayerShowTitleBar", "bool", "", "Show a title bar with the course title."),
    Setting(
        "PlayerStatusDisplayPreference",
        "Enum.StatusDisplayValue",
        None,
        "Which status icons the outline shows beside each item.",
        learning_standards=SCORM_1X_CMI5,
        valid_values=STATUS_DISPLAYS,
    ),
    Setting(
        "PlayerStatusRollupModeThresholdScore",
        "nullableDouble",
        None,
        "Score the threshold-based status rollups compare against.",
        learning_standards=SCORM_1X_CMI5,
    ),
    Setting(
        "PlayerStatusRollupModeValue",
        "Enum.StatusRollupMethodValue",
        None,
        "How SCO statuses combine into the course status.",
        learning_standards=SCORM_1X_CMI5,
        valid_values=STATUS_ROLLUPS,
    ),
    Setting(
        "PlayerSuspendDataMaxLength",
        "nonNegativeInt",
        None,
        "Largest suspend data a SCO may store, in bytes.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerTimeLimit",
        "nonNegativeInt",
        None,
        "Time limit for the course in minutes; 0 means none.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerUseMeasureProgressBar",
        "bool",
        "",
        "Drive the progress bar from progress measure rather than SCO completion.",
    ),
    Setting(
        "PlayerUseQuickLookaheadSequencer",
        "bool",
        "",
        "Use the faster lookahead sequencer.",
        learning_standards=SCORM_2004,
    ),
    Setting(
        "PlayerValidateInteractionResponses",
        "bool",
        "",
        "Reject interaction responses that do not match the SCORM formats.",
        learning_standards=SCORM,
    ),
    Setting(
        "PlayerWrapScoWindowWithApi",
        "bool",
        "",
        "Give a SCO that opens in a new window its own copy of the runtime API.",
        learning_standards=SCORM,
    ),
    Setting(
        "PrivacyPolicyUrl",
        "string",
        "",
        "Absolute URL of the privacy policy linked from the player.",
        value_format="url",
    ),
    Setting(
        "PromptOnPlayerClose",
        "bool",
        "false",
        "Ask the learner to confirm before the browser window closes.",
        learning_standards=SCORM,
    ),
    Setting(
        "RecordResultsMaxPayloadSizeInBytes",
        "nonNegativeInt",
        "5242880",
        "Largest result payload the server accepts from the player, in bytes.",
    ),
    Setting(
        "RedirectLaunchPageOnExit",
        "bool",
        "false",
        "When the player ran in a new window, send the launching page on when it closes.",
    ),
    Setting(
        "RedirectOnExitUrl",
        "string",
        None,
        "Where the learner goes on exit: an absolute URL, or closer, blank or message.",
        value_format="exit-url",
    ),
    Setting(
        "RedirectOnRefreshUrl", "webPath", "", "Absolute URL the learner is sent to when the player page is reloaded."
    ),
    Setting(
        "RemoteDeliverPageUrl",
        "string",
        "",
        "Absolute URL the player pages and their files are served from.",
        value_format="url",
    ),
    Setting(
        "StorePlayerDebugLogsInFileStoreOnExit",
        "bool",
        "false",
        "Keep the player's debug log in file storage when the player exits.",
    ),
    Setting(
        "SupplementalQueryStringParametersForAllActivities",
        "delimitedString",
        "",
        "Launch URL parameters passed on to every content page.",
    ),
    Setting(
        "SuppressNavbarWhenForcedFrameset", "bool", "false", "Hide the navigation bar when a frameset launch is forced."
    ),
    Setting(
        "TinCanInteractionsEnabled",
        "bool",
        "true",
        "Read interaction details out of xAPI statements for progress and postbacks.",
    ),
    Setting("UseDeltaRecordResultsPayload", "bool", "false", "Send only what changed in the player's result payloads."),
    Setting("UseLegacyMobileFramesetBehavior", "bool", "false", "Use the older launch behaviour on mobile browsers."),
    Setting("UseModernPlayer", "bool", "true", "Use the modern player; false selects the legacy player."),
    Setting(
        "UsePlayerForTinCanLaunches", "bool", "true", "Launch xAPI content inside the player rather than directly."
    ),
    Setting("WebContentForceNewWindow", "bool", "false", "Open web page content in a new window or tab."),
    Setting(
        "WhenToRestartRegistration",
        "Enum.RegistrationInstanceIncrementTimingValue",
        "WHEN_EXISTING_REG_IS_COMPLETE_AND_NEWER_PACKAGE_VERSION_EXISTS",
        "When a launch starts a new instance of a registration, e.g. to move it to a newer version.",
        valid_values=RESTART_TIMINGS,
    ),
    Setting(
        "xAPIRewriteStatementModifier",
        "mergedJson",
        None,
        "JSON object merged into statements when a rewrite is requested.",
    ),
    # Application level only.
    Setting(
        "ApiPostbackDataModelVersion",
        "Enum.ApiVersion",
        "v2",
        "Which API version's data model postback payloads use.",
        levels=APPLICATION_ONLY,
        valid_values=API_VERSIONS,
    ),
    Setting(
        "ApiPostbackTimeoutSeconds",
        "int",
        "10",
        "Seconds a postback may take before it counts as failed.",
        levels=APPLICATION_ONLY,
    ),
    Setting(
        "ApiUseSignedLaunchLinks",
        "bool",
        "false",
        "Sign launch links and accept only signed ones.",
        levels=APPLICATION_ONLY,
    ),
    Setting(
        "EnableExistingActivityIdParserWarnings",
        "bool",
        "true",
        "Warn on import when an activity id is already used by another course.",
        levels=APPLICATION_ONLY,
    ),
    Setting(
        "ValidateManifestsUsingXsd",
        "bool",
        "true",
        "Check imported manifests against their XML schemas.",
        levels=APPLICATION_ONLY,
    ),
    Setting(
        "WebHookCustomUserAgent",
        "string",
        "",
        "User-Agent header sent with postbacks; empty uses the server's own.",
        levels=APPLICATION_ONLY,
    ),
)

BY_ID: dict[str, Setting] = {setting.id: setting for setting in SETTINGS}
_BY_FOLDED_ID: dict[str, Setting] = {setting.id.casefold(): setting for setting in SETTINGS}


def find(setting_id: str) -> Setting | None:
    """Ids match without regard to case, so ``playershownavbar`` is forgiven; callers store the catalog's spelling."""
    return _BY_FOLDED_ID.get(setting_id.casefold())
