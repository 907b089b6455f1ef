// English texts of children's privacy in evidence: consents and storage (the read log of a file is the sheets' own, features/forms).
export default {
  'privacy.consents.title': "Parents' consent",
  'privacy.consents.lead':
    "Each group's parents' consent to photos and videos of their children. Without recorded consent, files for the group's sheets are refused or accepted marked, as the kindergarten chooses.",
  'privacy.consents.group': 'Group',
  'privacy.consents.state': 'Consent',
  'privacy.consents.given': 'Given on {date}',
  'privacy.consents.refused': 'No (refused on {date})',
  'privacy.consents.missing': 'Not recorded',
  'privacy.consents.recordedBy': 'recorded by {name}, {at}',
  'privacy.consents.record': 'Record',
  'privacy.consents.consented': 'Parents consent',
  'privacy.consents.date': 'Date of consent',
  'privacy.consents.saved': 'Recorded.',
  'privacy.consents.policy': "Files for a group's sheets without consent",
  'privacy.consents.refuse': 'refuse',
  'privacy.consents.mark': 'accept marked',
  'privacy.consents.none': 'The kindergarten has no groups.',
  'privacy.consents.readOnly': "The kindergarten's coordinator records consents.",

  'privacy.storage.high': "The kindergarten's photo and video storage is {percent} % full ({stored} of {quota} GB).",
  'privacy.storage.critical':
    "The kindergarten's photo and video storage is almost full: {percent} % ({stored} of {quota} GB). New files will soon be refused.",
};
