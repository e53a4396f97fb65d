namespace Linping.CppccBot.Tests.Channels.WeCom;

/// <summary>
/// Test vectors copied from the protocol notes (shared/reference/wecom.md): official samples A1, A2, B1, B2, C1, D1 (§2)
/// and vectors V1–V6 generated with Tencent's @wecom/crypto 1.0.1 using the ASCII prefix <c>0123456789abcdef</c> (§3).
/// </summary>
internal static class WeComVectors
{
    // Config set A (Tencent's classic sample values).
    public const string TokenA = "QDG6eK";

    public const string CorpIdA = "wx5823bf96d3bd56c7";

    public const string KeyA = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    // A1: URL verification.
    public const string A1Signature = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";

    public const string A1Timestamp = "1409659589";

    public const string A1Nonce = "263014780";

    public const string A1EchoStrOnWire = "P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D";

    public const string A1EchoStr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

    public const string A1Plaintext = "1616140317555161061";

    // A2: encrypted POST; plaintext has LF between elements, pad byte 30.
    public const string A2Signature = "477715d11cdb4164915debcba66cb864d751f3e6";

    public const string A2Timestamp = "1409659813";

    public const string A2Nonce = "1372623149";

    public const string A2Body = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";

    public const string A2Encrypt = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

    public const string A2Plaintext = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";

    // Config set B (the newer Python sample).
    public const string TokenB = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";

    public const string CorpIdB = "ww1436e0e65a779aee";

    public const string KeyB = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";

    // B1: URL verification.
    public const string B1Signature = "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb";

    public const string B1Timestamp = "1476416373";

    public const string B1Nonce = "47744683";

    public const string B1EchoStr = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==";

    public const string B1Plaintext = "1288432023552776189";

    // B2: encrypted POST; no CDATA in the plaintext, Chinese content.
    public const string B2Signature = "0c3914025cb4b4d68103f6bfc8db550f79dcf48e";

    public const string B2Timestamp = "1476422779";

    public const string B2Nonce = "1597212914";

    public const string B2Body = "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>";

    public const string B2Encrypt = "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+";

    public const string B2Plaintext = "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>";

    // C1: JSON callback variant with set A keys; the plaintext is JSON.
    public const string C1Body = "{\"tousername\":\"wx5823bf96d3bd56c7\",\"encrypt\":\"CZWs4CWRpI4VolQlvn4dlEC1alN2MUEY2VklGehgBVLBrlVF7SyT+SV+Toj43l4ayJ9UMGKphktKKmP7B2j/P1ey67XB8PBgS7Wr5/8+w/yWriZv3Vmoo/MH3/1HsIWZrPQ3N2mJrelStIfI2Y8kLKXA7EhfZgZX4o+ffdkZDM76SEl79Ib9mw7TGjZ9Aw/x/A2VjNbV1E8BtEbRxYYcQippYNw7hr8sFfa3nW1xLdxokt8QkRX83vK3DFP2F6TQFPL2Tu98UwhcUpPvdJBuu1/yiOQIScppV3eOuLWEsko=\",\"agentid\":\"218\"}";

    public const string C1Encrypt = "CZWs4CWRpI4VolQlvn4dlEC1alN2MUEY2VklGehgBVLBrlVF7SyT+SV+Toj43l4ayJ9UMGKphktKKmP7B2j/P1ey67XB8PBgS7Wr5/8+w/yWriZv3Vmoo/MH3/1HsIWZrPQ3N2mJrelStIfI2Y8kLKXA7EhfZgZX4o+ffdkZDM76SEl79Ib9mw7TGjZ9Aw/x/A2VjNbV1E8BtEbRxYYcQippYNw7hr8sFfa3nW1xLdxokt8QkRX83vK3DFP2F6TQFPL2Tu98UwhcUpPvdJBuu1/yiOQIScppV3eOuLWEsko=";

    public const string C1Signature = "0623cbc5a8cbee5bcc137c70de99575366fc2af3";

    public const string C1Timestamp = "1409659813";

    public const string C1Nonce = "1372623149";

    public const string C1Plaintext = "{\"ToUserName\":\"wx5823bf96d3bd56c7\",\"FromUserName\":\"mycreate\",\"CreateTime\": 1409659813,\"MsgType\":\"text\",\"Content\":\"hello\",\"MsgId\":4561255354251345929,\"AgentID\": 218}";

    // D1: URL verification captured from a real request (JSON library).
    public const string TokenD = "gY1AGR3mjBhzy";

    public const string CorpIdD = "wwabfd0cec7171e769";

    public const string KeyD = "g8VGfQEqluUhoKOlyjmmll8Q9C5tVFUTX5T2qkmI9Sv";

    public const string D1Signature = "825075c093249d5a60967fe4a613cae93146636b";

    public const string D1Timestamp = "1597998748";

    public const string D1Nonce = "1597483820";

    public const string D1EchoStrOnWire = "neLB8CftccHiz19tluVb%2BUBnUVMT3xpUMZU8qvDdD17eH8XfEsbPYC%2FkJyPsZOOc6GdsCeu8jSIa2noSJ%2Fez2w%3D%3D";

    public const string D1Plaintext = "7139691598513686239";

    // V1–V6: set A keys, fixed ASCII random prefix.
    public const string VPrefix = "0123456789abcdef";

    // V1: text (Chinese)
    public const string V1Timestamp = "1700000000";

    public const string V1Nonce = "1234567890";

    public const string V1Plaintext = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[报名 请你来协商]]></Content><MsgId>7301234567890123456</MsgId><AgentID>1000002</AgentID></xml>";

    public const string V1Encrypt = "sKqRbbiSUnDhFHOvPjtUMdwBA1SHrrRSE6r6vzFk/SlxDB5qnfSEhf7R1iDKj3P0Ey5ZB8rx6l2Gu1o3hTxirTvd/jFjkw3YI4tLkk24/CZQIK0ElhJSKQPRA5uOucJywfGw18/b1ZfIsojYbMfw8zHHSo3jTtxAtb2Y/m0O41FKvhBF8F773flfjPrqstziuoiuTv4eQ1xyjH6hQmTdnE1D8MJIbXrXmCicSSmqAXOfGoEjsSuP8zJaTGgira3fHT6uB1OQPMbL6jw23B6t/AglHdkj5eXyvgTo4Q+Wex9vu3g6iQ4u1VbqdTVOiuyFwqqficDpA4j86CZdlVqcpmpB2InNbbz8t1jAHX9ML6u1XgDXfARu5h3mLRYr/V4GCYAZNRAt5w0AQ/9Kc1C4hc9jGjW1D/140ZpbHjWoi/Pboo79CKy1gx8reDJPMwEBq1jltyhAwxvFxSqODR42dw==";

    public const string V1Signature = "635a99c4a672fbed324abd46d98eb653a94afb66";

    public const string V1Body = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[sKqRbbiSUnDhFHOvPjtUMdwBA1SHrrRSE6r6vzFk/SlxDB5qnfSEhf7R1iDKj3P0Ey5ZB8rx6l2Gu1o3hTxirTvd/jFjkw3YI4tLkk24/CZQIK0ElhJSKQPRA5uOucJywfGw18/b1ZfIsojYbMfw8zHHSo3jTtxAtb2Y/m0O41FKvhBF8F773flfjPrqstziuoiuTv4eQ1xyjH6hQmTdnE1D8MJIbXrXmCicSSmqAXOfGoEjsSuP8zJaTGgira3fHT6uB1OQPMbL6jw23B6t/AglHdkj5eXyvgTo4Q+Wex9vu3g6iQ4u1VbqdTVOiuyFwqqficDpA4j86CZdlVqcpmpB2InNbbz8t1jAHX9ML6u1XgDXfARu5h3mLRYr/V4GCYAZNRAt5w0AQ/9Kc1C4hc9jGjW1D/140ZpbHjWoi/Pboo79CKy1gx8reDJPMwEBq1jltyhAwxvFxSqODR42dw==]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";

    // V2: event enter_agent
    public const string V2Timestamp = "1700000001";

    public const string V2Nonce = "1234567891";

    public const string V2Plaintext = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000001</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>1000002</AgentID></xml>";

    public const string V2Encrypt = "sKqRbbiSUnDhFHOvPjtUMdc23JsNXVqHAPPZdO0pIWLCAXwidx9X62Ad+TDK4PcR8XyoiOMhVSdFVG+DTjUatK9KZnpqhxkyTF5yh2OclYPNkKABLq6kpORSqqgRIiO9cQZMvY/Qgn1FNCWeUYvHRuNm4eltJXZw0e3hMSA8/EgAlNz/Xeaa2ioNyTtSFbpapYJiAyc/34JSwjx45gUMDt1Pz0vtukt12EeulNFy0oB0YKkIszAGxAX/vb9qhmsVVDTAxYuy8aVz9Oiraa7Qt/fYdQEZRcqaHgE/O/AphE7thSUrfEosm8Mz1JlScD0TJaUjNMpGNWegcQ5CyUbvhLIh6J49NS/lQHmCrS/lg9zej5PM+YDLPWqv08l2I/HhfEA0Z05+RVG0ewaqESjbVs6vri2KVwR8VWtLEj9ra4fhKxkLnycfDQt03HQYFTUDg9WYSnB44IGX1QC/rDjEjQ==";

    public const string V2Signature = "b5037ccb527e49d93ea33ec67f2c46bb436b6a0f";

    public const string V2Body = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[sKqRbbiSUnDhFHOvPjtUMdc23JsNXVqHAPPZdO0pIWLCAXwidx9X62Ad+TDK4PcR8XyoiOMhVSdFVG+DTjUatK9KZnpqhxkyTF5yh2OclYPNkKABLq6kpORSqqgRIiO9cQZMvY/Qgn1FNCWeUYvHRuNm4eltJXZw0e3hMSA8/EgAlNz/Xeaa2ioNyTtSFbpapYJiAyc/34JSwjx45gUMDt1Pz0vtukt12EeulNFy0oB0YKkIszAGxAX/vb9qhmsVVDTAxYuy8aVz9Oiraa7Qt/fYdQEZRcqaHgE/O/AphE7thSUrfEosm8Mz1JlScD0TJaUjNMpGNWegcQ5CyUbvhLIh6J49NS/lQHmCrS/lg9zej5PM+YDLPWqv08l2I/HhfEA0Z05+RVG0ewaqESjbVs6vri2KVwR8VWtLEj9ra4fhKxkLnycfDQt03HQYFTUDg9WYSnB44IGX1QC/rDjEjQ==]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";

    // V3: event click (menu)
    public const string V3Timestamp = "1700000002";

    public const string V3Nonce = "1234567892";

    public const string V3Plaintext = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000002</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[click]]></Event><EventKey><![CDATA[MEETING_SIGNUP]]></EventKey><AgentID>1000002</AgentID></xml>";

    public const string V3Encrypt = "sKqRbbiSUnDhFHOvPjtUMT/xqc2NMT50Ev/7H+VJvU7jwiGX9axSuBYsT8lr5ukS6Cek6U8Rrzb+iQJAP2052oyJsQg0rDsjughFEDOKTqWennwSB+kLE6CdcL3ozDbYG1aEhejWFNcqbaYSIQ9gYhAjwkCYjedbv2IA0azA4swIfBd6kIiy4mUjSExFjer7TXmGgyIAbYHnRy8JDnOf9eVsBa98LtY2m13D4miCnHTXgZCIbbrkjEDTJyYuMwAT6iLV59xzi8j+OmDSJanQa4CpPQQFkc2ie4fNdMLmTlVpU8oy00kXcJO930/MzoR6ImAQYNhQyCKHdLg5w6M7Qn2ijAMP5qEsqrmPiRwzhFx2jBlPMhmhhI30smZ5kNAdUV7cZrwzvX0BaWY5jsblbD2zNfS6J20wUM7clh1vX7ZQqWyBBTadI1H19zcVcQu9I4IPxLDq4x3VaT4zbscaBg==";

    public const string V3Signature = "ea64e0469033295687ae80e4b04c37547201ed18";

    public const string V3Body = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[sKqRbbiSUnDhFHOvPjtUMT/xqc2NMT50Ev/7H+VJvU7jwiGX9axSuBYsT8lr5ukS6Cek6U8Rrzb+iQJAP2052oyJsQg0rDsjughFEDOKTqWennwSB+kLE6CdcL3ozDbYG1aEhejWFNcqbaYSIQ9gYhAjwkCYjedbv2IA0azA4swIfBd6kIiy4mUjSExFjer7TXmGgyIAbYHnRy8JDnOf9eVsBa98LtY2m13D4miCnHTXgZCIbbrkjEDTJyYuMwAT6iLV59xzi8j+OmDSJanQa4CpPQQFkc2ie4fNdMLmTlVpU8oy00kXcJO930/MzoR6ImAQYNhQyCKHdLg5w6M7Qn2ijAMP5qEsqrmPiRwzhFx2jBlPMhmhhI30smZ5kNAdUV7cZrwzvX0BaWY5jsblbD2zNfS6J20wUM7clh1vX7ZQqWyBBTadI1H19zcVcQu9I4IPxLDq4x3VaT4zbscaBg==]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";

    // V4: event template_card_event (button)
    public const string V4Timestamp = "1700000003";

    public const string V4Nonce = "1234567893";

    public const string V4Plaintext = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000003</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[signup_yes]]></EventKey><TaskId><![CDATA[meeting-42]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[RESPONSE_CODE_SAMPLE]]></ResponseCode><AgentID>1000002</AgentID></xml>";

    public const string V4Encrypt = "sKqRbbiSUnDhFHOvPjtUMQYEgoBm53YM0cbacqosUXG84HoUvUfPoSlXmfIsV6soVGU5h788mu6cEJQKZRGvBBW+hKhuJcTjPv6NxP7jdtmwcMrl4udrs59mwi8z0wqv+Ifoshx6L0G+rmLwKYaTa+Klloi323n6GMYVEqFd5r62Jgghkhes3m4VYx2iUCSVy80b71AynfWPPX+zNs/3Ci65FOceZgzQUsAvR4HpFNYwV4++HWssfGcXb5eSoIAMlj1zcgEQM8NWgrCT83UCDDHb6HLUk8DPmypymec+wjj0Asq3XUsn6/zXv+Kn1BO67a2A6uWJ5cR8YuXIDgqeSSrglo2YPDTksrVID9AcQN4vR7+JRua6BF+YbJNJUNKu+Aihii0+f2aC8KsfWypfMvwlKeHjqdl8DYo6K01cUohTEVTUE4qvoMNTpk60u5z1+akT7m8bETm3XRCxJRs8AGiJiPghMAHXoTCyFUk/4+uGIZMTJOGar0vz3IR7Slm5hcOa5iaXV2NSxjZOH4hqScdM6lBxc8pR7g/stndN/beYjJuGtV2Xtr8i14B3pxWx5tbVF0RrWz/24KHf8m6tv13iZ2DEq44DuGmrXQlwXuYEZ4jJVEgrLubYydyNbNw7ucoLdrtt/79Z0SYFkW8VHR14LC9EJAWUjeX6C+4P2j4=";

    public const string V4Signature = "7897274e269272694f18d978b1a288dd88b0a422";

    public const string V4Body = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[sKqRbbiSUnDhFHOvPjtUMQYEgoBm53YM0cbacqosUXG84HoUvUfPoSlXmfIsV6soVGU5h788mu6cEJQKZRGvBBW+hKhuJcTjPv6NxP7jdtmwcMrl4udrs59mwi8z0wqv+Ifoshx6L0G+rmLwKYaTa+Klloi323n6GMYVEqFd5r62Jgghkhes3m4VYx2iUCSVy80b71AynfWPPX+zNs/3Ci65FOceZgzQUsAvR4HpFNYwV4++HWssfGcXb5eSoIAMlj1zcgEQM8NWgrCT83UCDDHb6HLUk8DPmypymec+wjj0Asq3XUsn6/zXv+Kn1BO67a2A6uWJ5cR8YuXIDgqeSSrglo2YPDTksrVID9AcQN4vR7+JRua6BF+YbJNJUNKu+Aihii0+f2aC8KsfWypfMvwlKeHjqdl8DYo6K01cUohTEVTUE4qvoMNTpk60u5z1+akT7m8bETm3XRCxJRs8AGiJiPghMAHXoTCyFUk/4+uGIZMTJOGar0vz3IR7Slm5hcOa5iaXV2NSxjZOH4hqScdM6lBxc8pR7g/stndN/beYjJuGtV2Xtr8i14B3pxWx5tbVF0RrWz/24KHf8m6tv13iZ2DEq44DuGmrXQlwXuYEZ4jJVEgrLubYydyNbNw7ucoLdrtt/79Z0SYFkW8VHR14LC9EJAWUjeX6C+4P2j4=]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";

    // V5: pad-32 edge case (msg 26 bytes => padding byte 0x20 x32)
    public const string V5Timestamp = "1700000004";

    public const string V5Nonce = "1234567894";

    public const string V5Plaintext = "abcdefghijklmnopqrstuvwxyz";

    public const string V5Encrypt = "sKqRbbiSUnDhFHOvPjtUMZGyoR1r/GzKAbbgquGlaOgIlt+xQAi/JKk90aBApUWQUg5O+k5ZufIRKoqgtkAVwJKF1H3y/sfk7izzwSIp1tYTy01NHOGT9sTJ2jdv5sCT";

    public const string V5Signature = "005893829ba77ac5fe78a61fbf007808454b4c32";

    // V6: passive reply (text) — what the bot returns
    public const string V6Timestamp = "1700000005";

    public const string V6Nonce = "1234567895";

    public const string V6Plaintext = "<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName><CreateTime>1700000005</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[已收到：报名 请你来协商]]></Content></xml>";

    public const string V6Encrypt = "sKqRbbiSUnDhFHOvPjtUMenPyrfnV5RAYWBu/b6HKoZinUnsaLpAgwJnKgzcJRb1gqtWjKRbwCEE/DvfQCIz5YyErmmyClKJopHWNAEEBIGPP67l3JL2nXql5l4AcsGRl5NiDJ7/GAkXNn+jARngsN254UVOsZ1LyUciDjxproWKpap2DgrzIdiS5gnpbA+ZzVJShECmBP02kuzb7x3CB5Z9ElCv4KZVbiFaSAMrisghK289sSUEbxPTRlwm5J/C7OfV8VhhJj/HcZ0yZZm5DbZSfK8j2EH+61nEW3G1J2E2ITQb0386FdSyTx84HruXWrUfvXX42sC+grscXCPCSMTVqO2BwTyKS0fJ1al2+S62WMvZLB3zLY483DoiCJkoGAijdo5XDV54CbZ2a4cdSH8NdTTUGO241PgLNn8buwM=";

    public const string V6Signature = "97ac6aa21298303dad32474801e809f2cf781bfa";

    public const string V6ReplyEnvelope = "<xml><Encrypt><![CDATA[sKqRbbiSUnDhFHOvPjtUMenPyrfnV5RAYWBu/b6HKoZinUnsaLpAgwJnKgzcJRb1gqtWjKRbwCEE/DvfQCIz5YyErmmyClKJopHWNAEEBIGPP67l3JL2nXql5l4AcsGRl5NiDJ7/GAkXNn+jARngsN254UVOsZ1LyUciDjxproWKpap2DgrzIdiS5gnpbA+ZzVJShECmBP02kuzb7x3CB5Z9ElCv4KZVbiFaSAMrisghK289sSUEbxPTRlwm5J/C7OfV8VhhJj/HcZ0yZZm5DbZSfK8j2EH+61nEW3G1J2E2ITQb0386FdSyTx84HruXWrUfvXX42sC+grscXCPCSMTVqO2BwTyKS0fJ1al2+S62WMvZLB3zLY483DoiCJkoGAijdo5XDV54CbZ2a4cdSH8NdTTUGO241PgLNn8buwM=]]></Encrypt><MsgSignature><![CDATA[97ac6aa21298303dad32474801e809f2cf781bfa]]></MsgSignature><TimeStamp>1700000005</TimeStamp><Nonce><![CDATA[1234567895]]></Nonce></xml>";
}
