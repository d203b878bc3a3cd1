window.YTD.note_tweet.part0 = [
  {
    "noteTweet" : {
      "noteTweetId" : "1880000000000000099",
      "core" : {
        "text" : "Thread on Nordic air defence integration: the four air forces now plan as one fleet of some 250 combat aircraft, but the ground-based layer is still national. the Finnish, Swedish and Norwegian batteries do not share one picture yet; the joint air operations centre in Bodø is meant to change that.",
        "urls" : [ ], "mentions" : [ ], "hashtags" : [ ]
      },
      "createdAt" : "2025-01-16T08:30:00.000Z"
    }
  }
]
