window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "entities" : { "hashtags" : [ { "text" : "Finland" } ], "user_mentions" : [ ], "urls" : [ ] },
      "id_str" : "1880000000000000011",
      "created_at" : "Wed Jan 15 10:00:00 +0000 2025",
      "full_text" : "#Finland's forward land forces plan: a brigade-sized NATO presence in Lapland, led by Sweden, rotating from 2025.",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "entities" : { "hashtags" : [ ], "user_mentions" : [ ], "urls" : [ ] },
      "id_str" : "1880000000000000012",
      "in_reply_to_status_id_str" : "1880000000000000011",
      "created_at" : "Wed Jan 15 10:05:00 +0000 2025",
      "full_text" : "The Lapland plan still leaves the question of host-nation support and winter logistics open.",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "entities" : { "hashtags" : [ ], "user_mentions" : [ ], "urls" : [ ] },
      "id_str" : "1880000000000000013",
      "created_at" : "Thu Jan 16 08:30:00 +0000 2025",
      "full_text" : "Thread on Nordic air defence integration: the four air forces now plan as one fleet of some 250 combat aircraft, but the ground-based layer is …",
      "lang" : "en"
    }
  }
]
