using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Linping.CppccBot.Conversations.Recognition;

/// <summary>
/// Brings what members type to one form before recognition: full-width letters, digits and punctuation to
/// half-width (NFKC), traditional characters to simplified ("查提案12號" = "查提案12号"), no spaces (a space between digits separates two
/// numbers as 、 does: "12 41号" is "12、41号"), no trailing
/// punctuation or filler particles.
/// </summary>
public static class TextNormalizer
{
    /// <summary>
    /// Traditional characters members may type (a phone set to 繁體, text copied from elsewhere) and their simplified
    /// form: the words of commands, of proposal and meeting titles and of everyday requests. Only characters that are
    /// not themselves in use in simplified text (so not 著, 覆, 乾).
    /// </summary>
    private const string Traditional = "號屆會議報請辦們個麼點樣項條關於為這進與詢選擇態環經濟協體養醫療農業區電動車運數據設務發見覽歷過還沒問題嗎幫說話謝給復評價滿較長員聯絡採將處應該準備參場時間門開對錯確認稱類別網單統規劃鎮縣廣東陽華國產産園營線級約優質傳聲護險災衛職專課學習師訓讀書實現歲孫兒親愛鄉樓燈橋鐵導變權稅費貨買賣錢達邊遠標構機創勵獎雙減輕負擔難顧舊預換節緊總結論證檢測驗訊週齊極壓觀視調討談訪屬組織團黨舉歡幾兩萬億張劉陳吳鄭趙馬葉偉麗強濤閒閑計識齡殘礙婦嬰託義勞資貧續繼啟並況決裡裏誰寫圖語檔碼繫係際內藥樹賽遊藝術館廳隊輸廠貿銷購監執罰訴審穩風層帶頭領範濕氣溫熱淨潔廢棄後製餘臺籤簽憂郵補許記讓誤諮顯額頁順須願飯駐髮鄰閱陸階隨雖離雲靜響頂飛駕騎龍歸戶貼糧饑衝擁輛殯墳灣溝閘綠紅黃藍鬥爭貸財銀轉獲頒畫擊戲劇樂裝飾筆錄傷飲僅儘盡壞塊寬屍廈彈徑慶懷戀擴擺攝斷樁歐殺淺滅漢澤獨畢禮窮競築糾紹綜緣編縮罷聽臉艱蓋蘇蘭蟲襲覺觸詞詳誌講謀豐贊趕跡蹤軍軟載輔辭遲鄧釋鋼鍵鏈閉陰隱雜靈韻頓頻顆驅鬆麵齒";

    private const string Simplified = "号届会议报请办们个么点样项条关于为这进与询选择态环经济协体养医疗农业区电动车运数据设务发见览历过还没问题吗帮说话谢给复评价满较长员联络采将处应该准备参场时间门开对错确认称类别网单统规划镇县广东阳华国产产园营线级约优质传声护险灾卫职专课学习师训读书实现岁孙儿亲爱乡楼灯桥铁导变权税费货买卖钱达边远标构机创励奖双减轻负担难顾旧预换节紧总结论证检测验讯周齐极压观视调讨谈访属组织团党举欢几两万亿张刘陈吴郑赵马叶伟丽强涛闲闲计识龄残碍妇婴托义劳资贫续继启并况决里里谁写图语档码系系际内药树赛游艺术馆厅队输厂贸销购监执罚诉审稳风层带头领范湿气温热净洁废弃后制余台签签忧邮补许记让误咨显额页顺须愿饭驻发邻阅陆阶随虽离云静响顶飞驾骑龙归户贴粮饥冲拥辆殡坟湾沟闸绿红黄蓝斗争贷财银转获颁画击戏剧乐装饰笔录伤饮仅尽尽坏块宽尸厦弹径庆怀恋扩摆摄断桩欧杀浅灭汉泽独毕礼穷竞筑纠绍综缘编缩罢听脸艰盖苏兰虫袭觉触词详志讲谋丰赞赶迹踪军软载辅辞迟邓释钢键链闭阴隐杂灵韵顿频颗驱松面齿";

    private static readonly FrozenDictionary<char, char> ToSimplified =
        Traditional.Zip(Simplified).ToFrozenDictionary(p => p.First, p => p.Second);

    private static readonly string[] TrailingParticles = ["吧", "呢", "啊", "呀", "哈", "嘛", "嘞", "啦", "咯", "了吗", "吗", "了"];

    /// <summary>True when <paramref name="text"/> holds any of <paramref name="words"/> (ordinal).</summary>
    public static bool ContainsAny(string text, params string[] words) => words.Any(w => text.Contains(w, StringComparison.Ordinal));

    public static string Normalize(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(normalized.Length);
        var spaceAfterDigit = false;
        foreach (var rune in normalized.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsWhiteSpace(rune))
            {
                spaceAfterDigit |= builder.Length > 0 && char.IsAsciiDigit(builder[^1]);
                continue;
            }

            if (Rune.IsControl(rune) || category is UnicodeCategory.Format)
            {
                continue;
            }

            // "12 41号" is two numbers, not 1241: a space between digits separates them as 、 does.
            if (spaceAfterDigit && rune.IsAscii && char.IsAsciiDigit((char)rune.Value))
            {
                builder.Append('、');
            }

            spaceAfterDigit = false;

            if (rune.IsBmp && ToSimplified.TryGetValue((char)rune.Value, out var simplified))
            {
                builder.Append(simplified);
                continue;
            }

            builder.Append(rune.ToString());
        }

        var result = builder.ToString();
        // Trailing punctuation and soft particles carry no meaning for intent: "帮助！" = "帮助", "取消吧" = "取消".
        var changed = true;
        while (changed && result.Length > 0)
        {
            changed = false;
            var last = Rune.GetRuneAt(result, result.Length - 1 - (char.IsLowSurrogate(result[^1]) ? 1 : 0));
            if (Rune.IsPunctuation(last) || Rune.IsSymbol(last))
            {
                result = result[..^last.Utf16SequenceLength];
                changed = true;
                continue;
            }

            foreach (var particle in TrailingParticles)
            {
                if (result.Length > particle.Length && result.EndsWith(particle, StringComparison.Ordinal))
                {
                    result = result[..^particle.Length];
                    changed = true;
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>Converts Chinese numerals up to 9999 ("十二", "二十六", "一百零五", "两") to a number.</summary>
    public static int? ParseChineseNumber(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        // Said digit by digit, as numbers are read out ("一二" = 12, "零零二七" = 27): no unit words at all.
        if (text.Length > 1 && text.All(c => "零〇一二三四五六七八九两".Contains(c, StringComparison.Ordinal)))
        {
            var number = 0;
            foreach (var c in text)
            {
                number = (number * 10) + (c is '两' ? 2 : c is '〇' ? 0 : "零一二三四五六七八九".IndexOf(c, StringComparison.Ordinal));
                if (number > 99999)
                {
                    return null;
                }
            }

            return number;
        }

        int total = 0, section = 0, digit = -1;
        foreach (var c in text)
        {
            var value = "零一二三四五六七八九".IndexOf(c, StringComparison.Ordinal);
            if (c == '两')
            {
                value = 2;
            }

            if (value >= 0)
            {
                digit = value;
                continue;
            }

            var unit = c switch { '十' => 10, '百' => 100, '千' => 1000, _ => 0 };
            if (unit == 0)
            {
                return null;
            }

            section += (digit < 0 ? 1 : digit) * unit;
            digit = -1;
        }

        total += section + Math.Max(digit, 0);
        return total;
    }
}
