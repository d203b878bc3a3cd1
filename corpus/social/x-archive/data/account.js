window.YTD.account.part0 = [
  {
    "account" : {
      "username" : "nordicflank",
      "accountId" : "1400000000000000042",
      "createdAt" : "2018-05-14T09:00:00.000Z",
      "accountDisplayName" : "Sigrid Aalto"
    }
  }
]
