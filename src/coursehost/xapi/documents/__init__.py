"""The LRS's document resources: state, activity profiles and agent profiles (docs/xapi.md, "Documents")."""
