"""getCourseStatements and getCourseVersionStatements: a course's (or one version's) statements in SCORM Cloud's
XapiStatement form, found through the links ``xapi.links`` stamps on each statement."""
