"""SCORM Cloud's xAPI credential operations (``/api/v2/xapi/credentials``) and their lookup by the LRS."""
